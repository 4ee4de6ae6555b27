import Foundation
import SesameCore
import Synchronization

/// One gateway (one LDAP client with its pool) per directory, kept while the directory's
/// configuration stays the same and replaced, its connections closed, when it changes.
public final class DirectoryGateways: Sendable {
    private let gateways = Mutex<[String: (configuration: DirectoryConfiguration, gateway: LDAPDirectoryGateway)]>([:])

    public init() {}

    /// The gateway for this configuration; a configuration that cannot make one (a URL that does
    /// not parse) gives a gateway whose every call says the directory is unavailable.
    public func gateway(for configuration: DirectoryConfiguration) -> any DirectoryGateway {
        let made: Result<LDAPDirectoryGateway, any Error>
        let replaced: LDAPDirectoryGateway?
        (made, replaced) = gateways.withLock { gateways in
            if let kept = gateways[configuration.name], kept.configuration == configuration { return (.success(kept.gateway), nil) }
            let made = Result { try LDAPDirectoryGateway(configuration) }
            let old = gateways[configuration.name]?.gateway
            if case .success(let gateway) = made { gateways[configuration.name] = (configuration, gateway) } else { gateways[configuration.name] = nil }
            return (made, old)
        }
        // Sign-ins already under way on the old client finish first.
        if let replaced {
            Task {
                try? await Task.sleep(for: .seconds(30))
                await replaced.shutdown()
            }
        }
        switch made {
        case .success(let gateway): return gateway
        case .failure(let error): return UnusableGateway(problem: "\(error)")
        }
    }

    /// Closes the gateways of directories that are no longer configured.
    public func keep(only names: Set<String>) async {
        let gone = gateways.withLock { gateways in
            let gone = gateways.filter { !names.contains($0.key) }.map(\.value.gateway)
            gateways = gateways.filter { names.contains($0.key) }
            return gone
        }
        for gateway in gone { await gateway.shutdown() }
    }

    public func shutdown() async {
        await keep(only: [])
    }
}

/// A configuration the LDAP client refused: every call fails as a directory that cannot be reached.
struct UnusableGateway: DirectoryGateway {
    let problem: String

    func search(_ query: DirectoryQuery, limit: Int) async throws -> DirectoryAnswer<[DirectoryEntry]> { throw DirectoryUnavailable(problem) }
    func pages(_ query: DirectoryQuery, pageSize: Int, _ body: ([DirectoryEntry]) async throws -> Void) async throws { throw DirectoryUnavailable(problem) }
    func bind(dn: String, password: String, passwordPolicy: Bool) async throws -> DirectoryAnswer<DirectoryBindResult> { throw DirectoryUnavailable(problem) }
    func changePassword(dn: String, old: String, new: String, method: DirectoryPasswordChange) async throws -> DirectoryAnswer<DirectoryBindResult> {
        throw DirectoryUnavailable(problem)
    }
    func check() async -> [DirectoryServerHealth] { [DirectoryServerHealth(server: "-", problem: problem)] }
}
