import Hummingbird

/// The per-request context: Hummingbird's core storage plus the client's address.
public struct SesameRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address: the TCP peer, or what a trusted proxy says it forwarded for;
    /// nil when unknown (in-process tests).
    public var clientAddress: String?
    /// "http" or "https" as the client used it (a trusted proxy's `X-Forwarded-Proto`).
    public var scheme = "http"

    /// Forms and JSON bodies above this are refused with 413; nothing Sesame accepts comes close.
    public static let maxBodySize = 64 * 1024
    public var maxUploadSize: Int { Self.maxBodySize }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
