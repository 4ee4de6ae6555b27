import Foundation

/// What a running server leaves in the store for the commands that run beside it: the issuer it
/// serves under, so that the CLI signs back-channel logout tokens with the `iss` apps expect.
public protocol ServerStateStore: Sendable {
    /// Written by `sesame serve` at every start; the last start wins.
    func recordServedIssuer(_ issuer: String, at: Date) async throws
    /// Nil until a server has started on this store.
    func servedIssuer() async throws -> String?
}
