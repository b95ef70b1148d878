import Foundation
import HTTPTypes
import Hummingbird

/// Turns a `SimResponse` into a Hummingbird response, applying the late faults
/// (cut JSON, wrong content type, truncated body).
extension SimResponder {
    static let chunkSize = 64 * 1024

    static func httpResponse(_ response: SimResponse, late: FaultPlan.Late) -> Response {
        var response = response
        var truncate = late == .truncate
        if case .bytes(let data) = response.body, !data.isEmpty {
            let isJSON = response.header("Content-Type")?.hasPrefix("application/json") ?? false
            if late == .malformedJSON, isJSON {
                response.body = .bytes(data.prefix(max(1, data.count / 2)) + Data("\u{1}".utf8))
            } else if late == .wrongContentType {
                response.setHeader("Content-Type", "text/html; charset=utf-8")
            }
        } else if case .bytes = response.body {
            truncate = false
        }
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) {
                fields.append(HTTPField(name: fieldName, value: value))
            }
        }
        let status = HTTPResponse.Status(code: response.status)
        let length = response.contentLength
        if response.status == 204 {
            return Response(status: status, headers: fields)
        }
        let sent = truncate ? length / 2 : length
        let payload = response.body
        let cut = truncate
        let body = ResponseBody(contentLength: length) { writer in
            switch payload {
            case .bytes(let data):
                try await writer.write(ByteBuffer(bytes: data.prefix(sent)))
            case .file(let source, _):
                try await writeFile(source, count: sent, to: &writer)
            }
            if cut {
                throw ConnectionAbandoned()
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: fields, body: body)
    }

    /// Streams the first `count` bytes of a file in 64 KiB chunks (constant memory).
    private static func writeFile(_ source: FileSource, count: Int, to writer: inout any ResponseBodyWriter) async throws {
        switch source {
        case .generated(let seed):
            var offset = 0
            while offset < count {
                let end = min(count, offset + chunkSize)
                try await writer.write(ByteBuffer(bytes: SimFileContent.generatedBytes(seed: seed, range: offset..<end)))
                offset = end
            }
        case .stored(let url):
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var remaining = count
            while remaining > 0 {
                guard let chunk = try handle.read(upToCount: min(chunkSize, remaining)), !chunk.isEmpty else { break }
                try await writer.write(ByteBuffer(bytes: chunk))
                remaining -= chunk.count
            }
            if remaining > 0 {
                throw ConnectionAbandoned()
            }
        }
    }
}
