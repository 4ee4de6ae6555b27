import Testing

@testable import SesameServer

/// The schedule the server's upkeep and directory loops sleep on.
@Suite struct PeriodicJobsTests {
    enum Job { case fast, slow }

    @Test func eachJobComesDueAtItsOwnIntervalAndNotBefore() async throws {
        let intervals: [Job: Duration] = [.fast: .milliseconds(40), .slow: .milliseconds(130)]
        var jobs = PeriodicJobs<Job>(intervals)
        let clock = ContinuousClock()
        var last: [Job: ContinuousClock.Instant] = [.fast: clock.now, .slow: clock.now]
        var runs: [Job: Int] = [:]
        while runs[.slow, default: 0] < 2 {
            let due = try await jobs.nextDue()
            let now = clock.now
            #expect(!due.isEmpty)  // it never wakes for nothing
            for job in due {
                // However late the wake (a loaded machine), never before the job's interval (less
                // the moment between the schedule reading its clock and this test reading it).
                #expect(now - last[job]! >= intervals[job]! - .milliseconds(1))
                last[job] = now
                runs[job, default: 0] += 1
            }
        }
        // The fast one came due on its own between the slow one's runs (even on a slow wake-up,
        // 130 ms hold at least one of its 40 ms intervals).
        #expect(runs[.fast, default: 0] >= 2)
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
