import Foundation
import SesameCore
import Synchronization
import Testing

/// The server's audit writer sleeps on `AuditTrail.arrivals` instead of looking at the queue every
/// few milliseconds: the stream must wake it when events are queued, collapse a burst, and stay
/// quiet otherwise.
@Suite struct AuditArrivalsTests {
    typealias MemoryAudit = SessionTerminationTests.MemoryAudit

    final class Wakes: Sendable {
        let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
    }

    /// Waits (up to 5 s) until `wakes` reaches `least`.
    func reach(_ wakes: Wakes, _ least: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while wakes.value < least, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func theWriterWakesForEventsOnceForABurstAndNeverWhenNothingHappens() async throws {
        let memory = MemoryAudit()
        let trail = AuditTrail(store: memory)
        let wakes = Wakes()
        // The server's writer: one reader for the life of the trail (cancelling it ends the stream).
        let writer = Task { for await _ in trail.arrivals { wakes.count.withLock { $0 += 1 } } }
        defer { writer.cancel() }

        try await Task.sleep(for: .milliseconds(200))
        #expect(wakes.value == 0)

        for n in 1...50 { await trail.record(.signInSucceeded, subject: "user-\(n)") }
        try await reach(wakes, 1)
        try await Task.sleep(for: .milliseconds(200))
        // One wake for the reader already waiting, at most one more for all the rest.
        #expect((1...2).contains(wakes.value))
        #expect(try await memory.written(trail).map(\.subject) == (1...50).map { "user-\($0)" })

        let afterBurst = wakes.value
        try await Task.sleep(for: .milliseconds(200))
        #expect(wakes.value == afterBurst)

        await trail.record(.signInSucceeded, subject: "later")
        try await reach(wakes, afterBurst + 1)
        #expect(wakes.value == afterBurst + 1)
    }

    @Test func sixtyFourAtOnceAreAllWrittenOnceByAWriterThatFlushesOnEachWake() async throws {
        let memory = MemoryAudit()
        let trail = AuditTrail(store: memory)
        let writer = Task {
            for await _ in trail.arrivals { _ = try? await trail.flush() }
        }
        defer { writer.cancel() }
        for round in 0..<5 {
            await withTaskGroup(of: Void.self) { group in
                for n in 0..<64 { group.addTask { await trail.record(.signInSucceeded, subject: "r\(round)-\(n)") } }
            }
            // No flush by the test: the writer alone must have been woken for every event.
            let deadline = ContinuousClock.now + .seconds(5)
            while memory.events.withLock({ $0.count }) < 64 * (round + 1), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let subjects = memory.events.withLock { $0.compactMap(\.subject) }
        #expect(subjects.count == 320)
        #expect(Set(subjects) == Set((0..<5).flatMap { round in (0..<64).map { "r\(round)-\($0)" } }))
    }
}
