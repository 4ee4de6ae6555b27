import Testing

@testable import SesameServer

/// The schedule the server's upkeep and directory loops sleep on.
@Suite struct PeriodicJobsTests {
    enum Job { case fast, slow }

    @Test func eachJobComesDueAtItsOwnIntervalAndNotBefore() async throws {
        var jobs = PeriodicJobs<Job>([.fast: .milliseconds(40), .slow: .milliseconds(130)])
        let clock = ContinuousClock()
        let start = clock.now
        var fast = 0, slow = 0
        while slow == 0 {
            let due = try await jobs.nextDue()
            #expect(!due.isEmpty)  // it never wakes for nothing
            if due.contains(.fast) { fast += 1 }
            if due.contains(.slow) { slow += 1 }
        }
        #expect(clock.now - start >= .milliseconds(130))
        #expect((2...3).contains(fast))  // at 40, 80 and 120 ms; the slow one at 130 (or with the third)
    }

    @Test func aZeroIntervalCannotSpinTheLoop() async throws {
        var jobs = PeriodicJobs<Job>([.fast: .zero])
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<5 { #expect(try await jobs.nextDue() == [.fast]) }
        #expect(clock.now - start >= .milliseconds(50))
    }

    @Test func cancellationEndsTheWait() async throws {
        let waiting = Task {
            var jobs = PeriodicJobs<Job>([.slow: .seconds(3600)])
            return try await jobs.nextDue()
        }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
