import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SesameCore

/// An RFC 9457 problem: every admin API error, with the request field at fault when there is one.
public struct Problem: Error, Encodable, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var field: String?

    public init(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil, slug: String? = nil) {
        self.type = slug.map { "https://sesame.dev/problems/\($0)" } ?? "about:blank"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.field = field
    }

    public static func unauthorized(_ detail: String) -> Problem { Problem(.unauthorized, detail, slug: "unauthorized") }
    public static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, detail, slug: "forbidden") }
    public static func notFound(_ what: String) -> Problem { Problem(.notFound, "\(what) does not exist", slug: "not-found") }
    public static func conflict(_ detail: String, field: String) -> Problem { Problem(.conflict, detail, field: field, slug: "conflict") }
    public static func invalid(_ detail: String, field: String?) -> Problem { Problem(.unprocessableContent, detail, field: field, slug: "invalid-field") }
    public static func badRequest(_ detail: String) -> Problem { Problem(.badRequest, detail, slug: "bad-request") }

    /// The one place where a refused management operation gets its status.
    public init(_ error: ManagementError) {
        switch error.kind {
        case .notFound: self.init(.notFound, error.message, slug: "not-found")
        case .conflict: self.init(.conflict, error.message, field: error.field, slug: "conflict")
        case .invalid: self.init(.unprocessableContent, error.message, field: error.field, slug: "invalid-field")
        }
    }

    public var response: Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json", .cacheControl: "no-store"]
        if status == 401 { headers[.wwwAuthenticate] = #"Bearer realm="sesame""# }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
