/// Answers whether the store can be reached right now.
public protocol HealthCheck: Sendable {
    func ping() async throws
}
