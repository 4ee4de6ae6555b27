import Synchronization

/// Connections handed to one task at a time, first come, first served: a task that finds none
/// free waits suspended (not blocking a thread) and is handed the next one released. Replaces an
/// actor that made every statement hop to it and back.
final class SQLiteConnectionPool: Sendable {
    private struct State {
        var idle: [SQLiteHandle]
        var waiters: [CheckedContinuation<SQLiteHandle, Never>] = []
    }

    private let state: Mutex<State>
    let handles: [SQLiteHandle]
    /// How many times a connection was taken with `withConnection` (for `SQLiteMaintenance`).
    private let uses = Atomic<Int>(0)
    var useCount: Int { uses.load(ordering: .relaxed) }

    init(_ handles: [SQLiteHandle]) {
        self.handles = handles
        state = Mutex(State(idle: handles))
    }

    func withConnection<T>(_ body: (SQLiteHandle) async throws -> T) async rethrows -> T {
        uses.add(1, ordering: .relaxed)
        return try await withConnectionUncounted(body)
    }

    /// The same, for the database's own upkeep, which is no sign of use.
    func withConnectionUncounted<T>(_ body: (SQLiteHandle) async throws -> T) async rethrows -> T {
        let handle = await acquire()
        defer { release(handle) }
        return try await body(handle)
    }

    /// Waits until every connection is free, then closes each: a task still using one finishes
    /// first, and one that comes later is told the connection is closed.
    func closeAll() async {
        var held: [SQLiteHandle] = []
        for _ in handles { held.append(await acquire()) }
        for handle in held {
            handle.close()
            release(handle)
        }
    }

    /// Runs `body` on each connection no task holds right now; busy ones are left alone.
    func forEachIdle(_ body: (SQLiteHandle) -> Void) {
        let idle = state.withLock { state in
            defer { state.idle.removeAll() }
            return state.idle
        }
        for handle in idle {
            body(handle)
            release(handle)
        }
    }

    private func acquire() async -> SQLiteHandle {
        if let handle = state.withLock({ $0.idle.popLast() }) { return handle }
        return await withCheckedContinuation { waiter in
            let handle: SQLiteHandle? = state.withLock { state in
                if let handle = state.idle.popLast() { return handle }
                state.waiters.append(waiter)
                return nil
            }
            if let handle { waiter.resume(returning: handle) }
        }
    }

    private func release(_ handle: SQLiteHandle) {
        // Straight to the first waiter, so a newcomer cannot take it ahead of those waiting.
        let waiter: CheckedContinuation<SQLiteHandle, Never>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.idle.append(handle)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: handle)
    }
}
