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
        var request = HTTPClientRequest(url: uri)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: body))
        // The answer's body is read (up to 64 KiB) and dropped.
        return try await OutboundHTTP.send(request, timeout: timeout, maxBytes: 64 * 1024).status
    }
}
