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

    init(_ handles: [SQLiteHandle]) {
        self.handles = handles
        state = Mutex(State(idle: handles))
    }

    func withConnection<T>(_ body: (SQLiteHandle) async throws -> T) async rethrows -> T {
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
