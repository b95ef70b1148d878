import Foundation

/// A response before it becomes HTTP: status, headers and either bytes or a streamed file.
struct SimResponse: Sendable {
    enum Body: Sendable {
        case bytes(Data)
        /// A file body, produced in chunks (constant memory).
        case file(FileSource, size: Int)
    }

    var status: Int
    var headers: [(String, String)]
    var body: Body

    init(status: Int, headers: [(String, String)] = [], body: Body = .bytes(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    var contentLength: Int {
        switch body {
        case .bytes(let data): return data.count
        case .file(_, let size): return size
        }
    }

    /// A JSON response (`application/json; charset=utf-8`).
    static func json(_ status: Int, _ data: Data) -> SimResponse {
        SimResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: .bytes(data))
    }

    /// The API's error shape: `{"errors":["..."]}`.
    static func errors(_ status: Int, _ messages: String...) -> SimResponse {
        let data = (try? JSONEncoder.api.encode(["errors": messages])) ?? Data("{\"errors\":[]}".utf8)
        return json(status, data)
    }

    /// 204 with an empty body: how list endpoints say "nothing".
    static let noContent = SimResponse(status: 204)

    /// Encodes a value in the API's shape; a list that is empty answers 204.
    static func ok<T: Encodable>(_ value: T) -> SimResponse {
        if let list = value as? any Collection, list.isEmpty {
            return .noContent
        }
        do {
            return json(200, try JSONEncoder.api.encode(value))
        } catch {
            return errors(500, "The simulator could not encode its answer: \(error)")
        }
    }

    /// Adds or replaces a header.
    mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Where the bytes of a download come from.
enum FileSource: Sendable {
    case stored(URL)
    case generated(seed: UInt64)
}

extension JSONEncoder {
    /// snake_case keys, like the API.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }
}

extension JSONDecoder {
    /// snake_case keys, like the API and the workspace files.
    static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
