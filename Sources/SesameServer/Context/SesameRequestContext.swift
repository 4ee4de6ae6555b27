import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the client's address.
public struct SesameRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, nil when unknown (in-process tests).
    public let clientAddress: String?

    /// Forms and JSON bodies above this are refused with 413; nothing Sesame accepts comes close.
    public static let maxBodySize = 64 * 1024
    public var maxUploadSize: Int { Self.maxBodySize }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
