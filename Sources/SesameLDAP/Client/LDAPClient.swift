import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A directory's servers behind one object: operations as the service account on pooled
/// connections, user binds on connections of their own, servers tried in order with failover.
///
/// Failover happens on what another server might do better — connect failures, TLS failures,
/// time-outs, closed connections, `busy` and `unavailable` — never on an answer about the request
/// (a wrong password, a missing entry). A failed server is skipped, with exponential backoff, until
/// a background probe can connect and bind again. Every answer says which server gave it.
public final class LDAPClient: Sendable {
    public let configuration: LDAPClientConfiguration
    let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let pools: [LDAPConnectionPool]
    let board: LDAPHealthBoard
    /// Made once; nil when no server uses TLS, or when the TLS settings cannot be used (each
    /// connection then makes its own and reports why).
    let tlsContext: NIOSSLContext?

    public init(
        configuration: LDAPClientConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "sesame.ldap")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        pools = configuration.servers.map { _ in
            LDAPConnectionPool(size: configuration.poolSize, wait: configuration.poolWait, maxIdle: configuration.maxIdle)
        }
        board = LDAPHealthBoard(count: configuration.servers.count, initialBackoff: configuration.initialBackoff, maxBackoff: configuration.maxBackoff)
        let usesTLS = configuration.connection.startTLS || configuration.servers.contains { $0.scheme == .ldaps }
        tlsContext = usesTLS ? try? configuration.connection.tls.makeContext() : nil
    }

    // MARK: as the service account

    /// Runs `body` on a pooled connection bound as the service account. If the server fails
    /// (see above), `body` runs again on the next server: keep it to reads.
    public func withConnection<Value: Sendable>(_ body: (LDAPConnection) async throws -> Value) async throws -> LDAPAnswer<Value> {
        var problems: [String] = []
        for index in await serversToTry() {
            let pool = pools[index]
            let server = configuration.servers[index].description
            var retriedStale = false
            while true {
                let lease: (connection: LDAPConnection, reused: Bool)
                do {
                    lease = try await pool.acquire { try await self.openServiceConnection(index) }
                } catch let error as LDAPClientError where error.isServerFailure {
                    await serverFailed(index, error)
                    problems.append("\(server): \(error.message)")
                    break
                }
                do {
                    let value = try await body(lease.connection)
                    await pool.release(lease.connection, reusable: true)
                    await board.succeeded(index)
                    return LDAPAnswer(value, server: server)
                } catch let error as LDAPClientError where error.isServerFailure {
                    await pool.release(lease.connection, reusable: false)
                    // An idle connection the server closed says nothing about the server: try a fresh one.
                    if lease.reused, error.kind == .connectionClosed || error.kind == .noticeOfDisconnection, !retriedStale {
                        retriedStale = true
                        continue
                    }
                    await serverFailed(index, error)
                    problems.append("\(server): \(error.message)")
                    break
                } catch {
                    await pool.release(lease.connection, reusable: lease.connection.isUsable)
                    throw error
                }
            }
        }
        throw LDAPClientError(.allServersFailed, "no server answered: " + problems.joined(separator: "; "))
    }

    /// A search as the service account.
    public func search(_ request: LDAPSearchRequest, controls: [LDAPControl] = []) async throws -> LDAPAnswer<LDAPSearchResult> {
        try await withConnection { connection in try await connection.search(request, controls: controls) }
    }

    /// A paged search as the service account. A server that fails between pages is not replaced
    /// halfway (the cookie belongs to it): the error is thrown, and the server recorded as failed.
    public func pagedSearch(
        _ request: LDAPSearchRequest,
        pageSize: Int,
        controls: [LDAPControl] = [],
        _ body: (LDAPSearchResult) async throws -> Void
    ) async throws -> String {
        var started = false
        var lastError: LDAPClientError?
        let answer = try await withConnection { connection in
            if started, let lastError {
                throw LDAPClientError(.operationFailed, "the paged search failed after its first page: \(lastError)", server: lastError.server)
            }
            var pages = connection.pages(request, pageSize: pageSize, controls: controls).makeAsyncIterator()
            while true {
                let page: LDAPSearchResult?
                do {
                    page = try await pages.next()
                } catch let error as LDAPClientError {
                    lastError = error
                    throw error
                }
                guard let page else { break }
                started = true
                do {
                    try await body(page)
                } catch {
                    await pages.abandon()
                    throw error
                }
            }
        }
        return answer.server
    }

    // MARK: health

    /// Connects and binds as the service account on each server, in order, on a fresh connection
    /// (the pool is left alone); records what it finds in the servers' health.
    public func check() async -> [LDAPServerCheck] {
        var checks: [LDAPServerCheck] = []
        for index in configuration.servers.indices {
            let problem = await probeProblem(index)
            await board.probed(index, problem: problem)
            checks.append(LDAPServerCheck(server: configuration.servers[index].description, problem: problem))
        }
        return checks
    }

    /// Each server's health: failures in a row, the last error, and how long it is skipped for.
    public func status() async -> [LDAPServerStatus] {
        let now = ContinuousClock.now
        let healths = await board.snapshot()
        return zip(configuration.servers, healths).map { url, health in
            LDAPServerStatus(server: url.description, health: health, retryIn: health.retryAt.map { max(.zero, $0 - now) })
        }
    }

    /// Open and idle pooled connections per server (for tests and diagnostics).
    public func poolCounts() async -> [(open: Int, idle: Int)] {
        var counts: [(open: Int, idle: Int)] = []
        for pool in pools { counts.append(await pool.counts) }
        return counts
    }

    /// Unbinds and closes the pooled connections; later operations fail with `.shutDown`.
    public func shutdown() async {
        for pool in pools { await pool.shutdown() }
    }

    // MARK: inside

    func serversToTry() async -> [Int] {
        let plan = await board.plan()
        for index in plan.probe {
            Task {
                let problem = await self.probeProblem(index)
                await self.board.probed(index, problem: problem)
                if problem == nil { self.logger.info("LDAP server is back", metadata: ["server": "\(self.configuration.servers[index])"]) }
            }
        }
        return plan.order
    }

    func serverFailed(_ index: Int, _ error: LDAPClientError) async {
        logger.warning("LDAP server failed; trying the next", metadata: ["server": "\(configuration.servers[index])", "error": "\(error)"])
        await board.failed(index, error.description)
        await pools[index].drain()
    }

    /// nil when a fresh connection could connect (with TLS) and bind as the service account.
    private func probeProblem(_ index: Int) async -> String? {
        do {
            let connection = try await openServiceConnection(index)
            await connection.unbind()
            return nil
        } catch {
            return error.description
        }
    }

    private func openServiceConnection(_ index: Int) async throws(LDAPClientError) -> LDAPConnection {
        let url = configuration.servers[index]
        let connection = try await LDAPConnection.connect(to: url, settings: configuration.connection, tlsContext: tlsContext, eventLoopGroup: eventLoopGroup)
        guard let dn = configuration.bindDN else { return connection }
        let response: LDAPBindResponse
        do {
            response = try await connection.bind(dn: dn, password: configuration.bindPassword ?? "")
        } catch {
            await connection.close()
            throw error
        }
        guard response.isSuccess else {
            await connection.close()
            throw LDAPClientError(.operationFailed, "the service account's bind was refused", result: response.result, server: url.description)
        }
        return connection
    }
}
