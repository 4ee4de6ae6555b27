import Hummingbird
@_exported import SesameClient

/// What a request context needs for Sesame: the signed-in person (set by `SesameAuthentication`)
/// and the TCP peer's address.
public protocol SesameIdentityContext: RequestContext {
    var sesameUser: SesameUser? { get set }
    var peerAddress: String? { get }
}

/// A ready-made context for apps that need nothing else.
public struct SesameAppContext: SesameIdentityContext {
    public var coreContext: CoreRequestContextStorage
    public var sesameUser: SesameUser?
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
