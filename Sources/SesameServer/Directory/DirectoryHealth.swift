import Foundation

/// What `/healthz` says about each configured directory: `ok`, or `unreachable` when no server of
/// it answered with a working service-account bind. The answer is kept for `cacheFor`, so a flood
/// of `/healthz` requests cannot become a flood of binds against the directory; concurrent
/// callers while a check runs share it.
public actor DirectoryHealth {
    public typealias Check = @Sendable () async -> [(name: String, reachable: Bool)]

    private let check: Check
    private let cacheFor: Duration
    private var last: (at: ContinuousClock.Instant, answer: [(name: String, reachable: Bool)])?
    private var running: Task<[(name: String, reachable: Bool)], Never>?

    public init(cacheFor: Duration = .seconds(5), check: @escaping Check) {
        self.cacheFor = cacheFor
        self.check = check
    }

    /// By directory name, in the configured order.
    public func statuses() async -> [(name: String, reachable: Bool)] {
        if let last, ContinuousClock.now - last.at < cacheFor { return last.answer }
        if let running { return await running.value }
        let task = Task { await check() }
        running = task
        let answer = await task.value
        running = nil
        last = (ContinuousClock.now, answer)
        return answer
    }
}
