import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SesameCore

/// The one form POST that logout messages take (OpenID Connect back-channel logout tokens, CAS
/// single log-out requests), on AsyncHTTPClient. Redirects are not followed: the registered URL is
/// the only address a logout message goes to (a log-out endpoint that redirects has done its work).
public struct HTTPBackChannelLogoutTransport: BackChannelLogoutTransport {
    public init() {}

    public func post(form body: String, to uri: String, timeout: TimeInterval) async throws -> Int {
        let amount = TimeAmount.milliseconds(Int64(timeout * 1000))
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: amount, read: amount))
        )
        do {
            var request = HTTPClientRequest(url: uri)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await client.execute(request, timeout: amount)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            try? await client.shutdown()
            return Int(response.status.code)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
