import Foundation

/// Faults written as text, for command lines: `cwarchive simulate --faults "error=0.1,latency=0.2,storm=5"`.
extension FaultConfiguration {
    /// The keys `init(spec:)` understands, with what they set.
    public static let specHelp = """
        error=RATE  latency=SECONDS  drop=RATE  truncate=RATE  malformed=RATE  content-type=RATE  storm=N
        expire-downloads  html-download  scope=api|download|all  seed=N   (comma-separated; RATE is 0...1)
        """

    /// Parses "key=value,key,..." (see `specHelp`). An empty string means no faults.
    public init(spec: String) throws(FaultSpecError) {
        self.init()
        for item in spec.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let key = parts.first, !key.isEmpty else { continue }
            let value = parts.count > 1 ? parts[1] : nil
            func rate() throws(FaultSpecError) -> Double {
                guard let text = value, let number = Double(text), (0...1).contains(number) else {
                    throw FaultSpecError(item: String(item), reason: "\(key) needs a rate between 0 and 1")
                }
                return number
            }
            switch key {
            case "error": errorRate = try rate()
            case "drop": dropRate = try rate()
            case "truncate": truncateRate = try rate()
            case "malformed": malformedJSONRate = try rate()
            case "content-type": wrongContentTypeRate = try rate()
            case "latency":
                guard let text = value, let seconds = Double(text), seconds >= 0 else {
                    throw FaultSpecError(item: String(item), reason: "latency needs seconds, e.g. latency=0.2")
                }
                latency = seconds
            case "storm", "seed":
                guard let text = value, let number = UInt64(text) else {
                    throw FaultSpecError(item: String(item), reason: "\(key) needs a whole number")
                }
                if key == "storm" { storm429Count = Int(clamping: number) } else { seed = number }
            case "expire-downloads": expireDownloadURLs = true
            case "html-download": downloadHTMLErrorPage = true
            case "scope":
                switch value {
                case "api": scope = .api
                case "download": scope = .download
                case "all": scope = .all
                default: throw FaultSpecError(item: String(item), reason: "scope is api, download or all")
                }
            default:
                throw FaultSpecError(item: String(item), reason: "unknown fault \"\(key)\"")
            }
        }
    }
}

/// A fault spec that could not be read.
public struct FaultSpecError: Error, CustomStringConvertible, Sendable, Equatable {
    public var item: String
    public var reason: String

    public var description: String {
        "Cannot read the fault \"\(item)\": \(reason). Known faults:\n\(FaultConfiguration.specHelp)"
    }
}
