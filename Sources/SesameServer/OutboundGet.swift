import AsyncHTTPClient
import NIOHTTP1
import Foundation
import NIOCore

/// One GET to a URL a client registered (a jwks_uri, a CAS proxy callback), on AsyncHTTPClient:
/// Foundation's URLSession would load libcurl and its TLS stack into the server for two calls.
/// Redirects are not followed, and the body is read up to `maxBytes`.
enum OutboundGet {
    struct Answer {
        var status: Int
        var body: ByteBuffer
    }

    static func fetch(_ url: String, accept: String? = nil, timeout: TimeInterval = 5, maxBytes: Int = 256 * 1024) async throws -> Answer {
        let amount = TimeAmount.milliseconds(Int64(timeout * 1000))
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: amount, read: amount))
        )
        do {
            var request = HTTPClientRequest(url: url)
            if let accept { request.headers.add(name: "Accept", value: accept) }
            let response = try await client.execute(request, timeout: amount)
            let body = try await response.body.collect(upTo: maxBytes)
            try? await client.shutdown()
            return Answer(status: Int(response.status.code), body: body)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
