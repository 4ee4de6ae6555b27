import NIOPosix
import SesameCore

/// Runs password hashing on NIO's thread pool, so a 50 ms scrypt never occupies one of the few
/// threads that serve every other request.
public struct ThreadPoolWork: BlockingWork {
    public init() {}

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}
