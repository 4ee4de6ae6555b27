import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import SesameServer

#if canImport(Glibc)
import Glibc
#endif

/// The threads password hashes run on: the most recently idle one first, at most `limit`, and the
/// rest waiting in order.
@Suite struct HashingThreadsTests {
    struct Failure: Error, Equatable {}

    /// The calling thread, as the kernel names and numbers it.
    static func thisThread() -> (id: UInt, name: String) {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return (UInt(pthread_self()), name.trimmingCharacters(in: .newlines))
    }

    /// Waits (up to 10 s) until the pool shows `idle` threads waiting.
    static func waitUntilIdle(_ pool: HashingThreads, _ idle: Int) async throws {
        for _ in 0..<1000 where pool.threads.idle != idle { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pool.threads.idle == idle)
    }

    @Test func oneHashAtATimeAlwaysRunsOnTheSameNamedThread() async throws {
        let pool = HashingThreads(limit: 2)
        var seen: [UInt] = []
        for _ in 0..<20 {
            let thread = try await pool.run { Self.thisThread() }
            #expect(thread.name == "sesame-hash-1")
            seen.append(thread.id)
            try await Self.waitUntilIdle(pool, 1)
        }
        #expect(Set(seen).count == 1)
        #expect(pool.threads.started == 1)
    }

    @Test func theThreadThatFinishedLastTakesTheNextHash() async throws {
        let pool = HashingThreads(limit: 2)
        let gates = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        let first = Task { try await pool.run { gates[0].wait(); return Self.thisThread().id } }
        let second = Task { try await pool.run { gates[1].wait(); return Self.thisThread().id } }
        for _ in 0..<1000 where pool.threads.started < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pool.threads.started == 2)

        gates[0].signal()
        let firstThread = try await first.value
        try await Self.waitUntilIdle(pool, 1)
        gates[1].signal()
        let secondThread = try await second.value
        try await Self.waitUntilIdle(pool, 2)
        #expect(firstThread != secondThread)

        #expect(try await pool.run { Self.thisThread().id } == secondThread)
    }

    @Test func beyondTheLimitHashesWaitAndRunInOrder() async throws {
        let pool = HashingThreads(limit: 2)
        let running = NIOLockedValueBox((now: 0, most: 0, order: [Int]()))
        let gate = DispatchSemaphore(value: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<8 {
                group.addTask {
                    try await pool.run {
                        running.withLockedValue { $0.now += 1; $0.most = max($0.most, $0.now); $0.order.append(number) }
                        gate.wait()
                        running.withLockedValue { $0.now -= 1 }
                    }
                }
                // Submitted one after the other, so that the order they wait in is known.
                for _ in 0..<1000 where running.withLockedValue({ $0.order.count }) + pool.threads.waiting < number + 1 {
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
            // One at a time: each end frees a thread, which takes the oldest hash still waiting.
            for started in 2..<8 {
                gate.signal()
                for _ in 0..<1000 where running.withLockedValue({ $0.order.count }) < started + 1 {
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
            gate.signal()
            gate.signal()
            try await group.waitForAll()
        }
        let result = running.withLockedValue { $0 }
        #expect(result.most == 2)
        #expect(pool.threads.started == 2)
        #expect(result.order.sorted() == Array(0..<8))
        #expect(Array(result.order.dropFirst(2)) == Array(2..<8))  // those that waited, in order
    }

    @Test func anErrorReachesTheCaller() async throws {
        let pool = HashingThreads(limit: 1)
        await #expect(throws: Failure()) { try await pool.run { throw Failure() } }
        #expect(try await pool.run { 42 } == 42)
    }
}
