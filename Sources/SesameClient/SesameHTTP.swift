import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The few HTTP calls an app makes to Sesame, over async-http-client.
public struct SesameHTTP: Sendable {
    public let client: HTTPClient
    public var timeout: TimeAmount = .seconds(10)

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data
    }

    public func get(_ url: String) async throws -> Answer {
        try await send(HTTPClientRequest(url: url))
    }

    /// A form POST, optionally with HTTP Basic client authentication.
    public func postForm(_ url: String, _ fields: [(String, String)], basic: (id: String, secret: String)? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        if let basic {
            let credentials = FormEncoding.encode(basic.id) + ":" + FormEncoding.encode(basic.secret)
            request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        }
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
    }
}

/// `application/x-www-form-urlencoded`, as RFC 6749 wants it (also for Basic credentials).
public enum FormEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

/// Sesame's JWKS over HTTP, kept as long as its `Cache-Control: max-age` says.
public struct HTTPJWKSSource: JWKSSource {
    let url: String
    let http: SesameHTTP

    public init(url: String, http: SesameHTTP = SesameHTTP()) {
        self.url = url
        self.http = http
    }

    public func fetch() async throws -> (json: String, maxAge: TimeInterval?) {
        let answer = try await http.get(url)
        guard answer.status == 200 else { throw SesameClientError.unexpectedAnswer("JWKS \(answer.status)") }
        return (String(decoding: answer.body, as: UTF8.self), Self.maxAge(answer.headers["Cache-Control"].first))
    }

    static func maxAge(_ header: String?) -> TimeInterval? {
        guard let header else { return nil }
        for directive in header.split(separator: ",") {
            let parts = directive.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "max-age", let seconds = TimeInterval(parts[1]) { return seconds }
            if parts.first?.lowercased() == "no-store" || parts.first?.lowercased() == "no-cache" { return 0 }
        }
        return nil
    }
}

public enum SesameClientError: Error, Equatable, Sendable {
    case unexpectedAnswer(String)
    case tokenEndpoint(error: String, description: String?)
    case stateMismatch
    case nonceMismatch
}
