import Foundation
import Synchronization

/// Writes audit events without making requests wait on a transaction each: events are queued and
/// written in batches (group commit) by `flush`, which the server calls a few milliseconds after
/// events arrive (`arrivals`) and once more at shutdown, so nothing queued is lost on a clean stop.
public final class AuditTrail: Sendable {
    private let store: any AuditStore
    private let clock: any WallClock
    private let queue = Mutex<[AuditEvent]>([])
    /// Yields when an event is queued onto an empty queue (and collapses yields between two reads
    /// into one), so the writer sleeps while nothing happens instead of polling. One reader only: the server's
    /// background work.
    public let arrivals: AsyncStream<Void>
    private let arrived: AsyncStream<Void>.Continuation
    /// Also receives each event as a JSON line once it is stored (for a SIEM), when set.
    private let lines: (@Sendable (String) -> Void)?

    public init(store: any AuditStore, clock: any WallClock = SystemClock(), lines: (@Sendable (String) -> Void)? = nil) {
        self.store = store
        self.clock = clock
        self.lines = lines
        (arrivals, arrived) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func record(_ kind: AuditEventKind, actor: String? = nil, subject: String? = nil, clientID: String? = nil, clientAddress: String? = nil, detail: String? = nil) async {
        // Bounded here already, so the JSON lines copy holds what the store holds.
        let event = AuditEvent(kind: kind, at: clock.now(), actor: actor, subject: subject, clientID: clientID, clientAddress: clientAddress, detail: detail).bounded
        let wasEmpty = queue.withLock { queue in
            defer { queue.append(event) }
            return queue.isEmpty
        }
        // Only the first event of a batch wakes the writer; the flush it leads to takes the rest.
        if wasEmpty { arrived.yield() }
    }

    /// Writes everything queued so far in one transaction; returns how many events it wrote.
    @discardableResult
    public func flush() async throws -> Int {
        let batch = queue.withLock { queue -> [AuditEvent] in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        guard !batch.isEmpty else { return 0 }
        do {
            try await store.append(batch)
        } catch {
            queue.withLock { $0.insert(contentsOf: batch, at: 0) }  // keep them for the next try
            throw error
        }
        if let lines { for event in batch { lines(event.jsonLine) } }
        return batch.count
    }
}
