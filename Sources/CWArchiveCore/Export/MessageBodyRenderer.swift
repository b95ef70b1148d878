import Foundation

/// Turns a message body (Chatwork markup) into HTML, Markdown or plain text for an export,
/// resolving names from the archived accounts and files from the archived files.
struct MessageBodyRenderer {
    let roomID: Int
    let names: [Int: String]
    let files: [Int: ExportFile]
    let clock: ExportClock

    /// The file ids the body refers to (`[download:ID]`, `[preview id=ID]`).
    func referencedFileIDs(_ body: String) -> [Int] {
        var ids: [Int] = []
        for prefix in ["[download:", "[preview id="] {
            var rest = body[...]
            while let r = rest.range(of: prefix) {
                let digits = rest[r.upperBound...].prefix(while: \.isASCII).prefix(while: \.isNumber)
                if let id = Int(digits), !ids.contains(id) { ids.append(id) }
                rest = rest[r.upperBound...]
            }
        }
        return ids
    }

    func html(_ body: String) -> String {
        ExportEscaping.html(body)
    }

    func markdown(_ body: String) -> String {
        body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { ExportEscaping.markdown(String($0)) }
            .joined(separator: "  \n")
    }

    func plain(_ body: String) -> String {
        body
    }
}
