import Hummingbird

/// A decoded `application/x-www-form-urlencoded` body. Bad percent-encoding or bytes that are not
/// UTF-8 are a 400, never a crash or a half-decoded value.
struct FormBody: Sendable {
    private var fields: [String: String] = [:]
    /// Names sent more than once, in order of their first repeat: OAuth refuses them (RFC 6749 §3.1).
    private(set) var repeatedNames: [String] = []

    subscript(name: String) -> String? { fields[name] }

    /// All fields, for handing a request's parameters to the core.
    var all: [String: String] { fields }

    static func read(_ request: Request, context: some RequestContext) async throws -> FormBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        // No content type at all is read as a form too (an empty POST from a script, say).
        guard contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw HTTPError(.unsupportedMediaType, message: "Expected a form (application/x-www-form-urlencoded).")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try FormBody(parsing: buffer.readableBytesView)
    }

    init(parsing text: String) throws {
        try self.init(parsing: Array(text.utf8))
    }

    /// Split and decoded on bytes (`&` and `=` are ASCII, so no UTF-8 sequence holds them).
    init(parsing bytes: some Collection<UInt8>) throws {
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = FormURLDecoding.decode(parts[0]),
                let value = parts.count > 1 ? FormURLDecoding.decode(parts[1]) : ""
            else { throw Self.malformed }
            // The first occurrence wins, so a repeated field cannot override an earlier one.
            if fields[name] == nil { fields[name] = value } else if !repeatedNames.contains(name) { repeatedNames.append(name) }
        }
    }

    static var malformed: HTTPError { HTTPError(.badRequest, message: "The form could not be read: it is not valid UTF-8 or URL encoding.") }
}
