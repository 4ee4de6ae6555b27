/// Runs CPU-heavy work (password hashing) off the cooperative thread pool. The server hands in a
/// runner backed by a thread pool; the CLI and tests run inline.
public protocol BlockingWork: Sendable {
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
}

public struct InlineWork: BlockingWork {
    public init() {}
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T { try work() }
}
