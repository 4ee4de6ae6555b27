/// The service-account connections to one server: at most `size` open, idle ones reused (unless
/// too old or broken), and a bounded wait when all are busy.
actor LDAPConnectionPool {
    /// What a waiting caller is given: a connection someone released, or room to open one.
    private enum Grant {
        case connection(LDAPConnection)
        case room
    }

    private struct Waiter {
        var continuation: CheckedContinuation<Grant, any Error>
        var timeout: Task<Void, Never>
    }

    private let size: Int
    private let wait: Duration
    private let maxIdle: Duration
    private var idle: [(connection: LDAPConnection, since: ContinuousClock.Instant)] = []
    private var open = 0
    private var waiters: [Int: Waiter] = [:]
    private var waitOrder: [Int] = []
    private var nextWaiter = 0
    private var isShutDown = false

    init(size: Int, wait: Duration, maxIdle: Duration) {
        self.size = size
        self.wait = wait
        self.maxIdle = maxIdle
    }

    /// How many connections are open (idle or lent), and how many idle.
    var counts: (open: Int, idle: Int) { (open, idle.count) }

    /// A connection for one operation, and whether it was reused (a reused one may have been closed
    /// by the server while idle). Give it back with `release`.
    func acquire(opening make: @Sendable () async throws -> LDAPConnection) async throws -> (connection: LDAPConnection, reused: Bool) {
        guard !isShutDown else { throw LDAPClientError(.shutDown, "the client is shut down") }
        let now = ContinuousClock.now
        while let last = idle.popLast() {
            if last.connection.isUsable, now - last.since < maxIdle {
                return (last.connection, true)
            }
            open -= 1
            Task { await last.connection.close() }
        }
        if open < size {
            open += 1
            return (try await opened(make), false)
        }
        switch try await waitForGrant() {
        case .connection(let connection):
            return (connection, true)
        case .room:
            return (try await opened(make), false)
        }
    }

    /// `open` already counts the connection being made; a failure gives the room back.
    private func opened(_ make: @Sendable () async throws -> LDAPConnection) async throws -> LDAPConnection {
        do {
            let connection = try await make()
            if isShutDown {
                await connection.unbind()
                throw LDAPClientError(.shutDown, "the client is shut down")
            }
            return connection
        } catch {
            open -= 1
            handRoomToWaiter()
            throw error
        }
    }

    private func waitForGrant() async throws -> Grant {
        let id = nextWaiter
        nextWaiter += 1
        let wait = self.wait
        return try await withCheckedThrowingContinuation { continuation in
            let timeout = Task {
                try? await Task.sleep(for: wait)
                self.expire(id)
            }
            waiters[id] = Waiter(continuation: continuation, timeout: timeout)
            waitOrder.append(id)
        }
    }

    private func expire(_ id: Int) {
        guard let waiter = waiters.removeValue(forKey: id) else { return }
        waitOrder.removeAll { $0 == id }
        waiter.continuation.resume(throwing: LDAPClientError(.poolExhausted, "every pooled connection stayed busy for \(wait)"))
    }

    private func nextWaiterInLine() -> Waiter? {
        while !waitOrder.isEmpty {
            let id = waitOrder.removeFirst()
            if let waiter = waiters.removeValue(forKey: id) {
                waiter.timeout.cancel()
                return waiter
            }
        }
        return nil
    }

    private func handRoomToWaiter() {
        guard open < size, let waiter = nextWaiterInLine() else { return }
        open += 1
        waiter.continuation.resume(returning: .room)
    }

    /// Gives a connection back; one that failed (or may have) is closed, never reused.
    func release(_ connection: LDAPConnection, reusable: Bool) {
        guard reusable, connection.isUsable, !isShutDown else {
            open -= 1
            Task { await connection.close() }
            handRoomToWaiter()
            return
        }
        if let waiter = nextWaiterInLine() {
            waiter.continuation.resume(returning: .connection(connection))
        } else {
            idle.append((connection, ContinuousClock.now))
        }
    }

    /// Closes the idle connections (after the server failed: they are likely dead too).
    func drain() async {
        let closing = idle.map(\.connection)
        idle.removeAll()
        open -= closing.count
        for connection in closing { await connection.close() }
    }

    func shutdown() async {
        isShutDown = true
        for id in waitOrder {
            if let waiter = waiters.removeValue(forKey: id) {
                waiter.timeout.cancel()
                waiter.continuation.resume(throwing: LDAPClientError(.shutDown, "the client is shut down"))
            }
        }
        waitOrder.removeAll()
        let closing = idle.map(\.connection)
        idle.removeAll()
        open -= closing.count
        for connection in closing { await connection.unbind() }
    }
}
