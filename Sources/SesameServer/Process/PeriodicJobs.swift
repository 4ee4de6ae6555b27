/// Jobs that each run every so often, served by one loop that sleeps until the next is due (instead
/// of waking every few milliseconds to look). Used by the server's upkeep and the directory loop.
struct PeriodicJobs<Job: Hashable> {
    private let clock = ContinuousClock()
    private var jobs: [Job: (every: Duration, last: ContinuousClock.Instant)]

    /// Intervals under 10 ms count as 10 ms, so a zero setting cannot spin the loop. None is due at
    /// the start: each first runs one interval later.
    init(_ intervals: [Job: Duration]) {
        precondition(!intervals.isEmpty, "a loop with no job to run")
        let now = clock.now
        jobs = intervals.mapValues { (every: max($0, .milliseconds(10)), last: now) }
    }

    /// Sleeps until at least one job is due, then returns every job due by then and counts its
    /// interval from now. Throws `CancellationError` when the task is cancelled while asleep.
    mutating func nextDue() async throws -> Set<Job> {
        let next = jobs.values.map { $0.last + $0.every }.min()!  // one job at least (init)
        try await Task.sleep(until: next, clock: clock)
        let now = clock.now
        var due = Set<Job>()
        for (job, schedule) in jobs where now - schedule.last >= schedule.every {
            due.insert(job)
            jobs[job]?.last = now
        }
        return due
    }
}
