import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One request to a URL a client registered (a jwks_uri, a CAS proxy callback, a logout
/// endpoint), on AsyncHTTPClient: Foundation's URLSession would load libcurl and its TLS stack
/// into the server for two calls. Redirects are not followed (the registered URL is the only
/// address such a request goes to), and the body is read up to `maxBytes`.
enum OutboundHTTP {
    struct Answer {
        var status: Int
        /// Nil when the body was longer than allowed (or broke off).
        var body: ByteBuffer?
    }

    static func send(_ request: HTTPClientRequest, timeout: TimeInterval = 5, maxBytes: Int = 256 * 1024) async throws -> Answer {
        let amount = TimeAmount.milliseconds(Int64(timeout * 1000))
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: amount, read: amount))
        )
        do {
            let response = try await client.execute(request, timeout: amount)
            let body = try? await response.body.collect(upTo: maxBytes)
            try? await client.shutdown()
            return Answer(status: Int(response.status.code), body: body)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func get(_ url: String, accept: String? = nil, maxBytes: Int = 256 * 1024) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        if let accept { request.headers.add(name: "Accept", value: accept) }
        return try await send(request, maxBytes: maxBytes)
    }
}
