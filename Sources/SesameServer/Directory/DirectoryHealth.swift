import Foundation

/// What `/healthz` says about each configured directory: `ok`, or `unreachable` when no server of
/// it answered with a working service-account bind. The answer is kept for `cacheFor`, so a flood
/// of `/healthz` requests cannot become a flood of binds against the directory, and one check
/// runs at a time. A load balancer's probe never waits on a hung directory longer than `maxWait`:
/// it gets the last answer (or `checking` before the first), and the check finishes behind it.
public actor DirectoryHealth {
    public typealias Check = @Sendable () async -> [(name: String, reachable: Bool)]

    private let check: Check
    private let cacheFor: Duration
    private let maxWait: Duration
    private var last: (at: ContinuousClock.Instant, answer: [(name: String, status: String)])?

    public init(cacheFor: Duration = .seconds(5), maxWait: Duration = .milliseconds(500), check: @escaping Check) {
        self.cacheFor = cacheFor
        self.maxWait = maxWait
        self.check = check
    }

    /// By directory name, in the configured order; empty until the first check has finished.
    public func statuses() async -> [(name: String, status: String)] {
        let asked = ContinuousClock.now
        if let last, asked - last.at < cacheFor { return last.answer }
        if !checking { start() }
        while ContinuousClock.now - asked < maxWait {
            if let last, last.at >= asked { return last.answer }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return last?.answer ?? []
    }

    private var checking = false

    private func start() {
        checking = true
        let check = check
        Task {
            let answer = await check().map { (name: $0.name, status: $0.reachable ? "ok" : "unreachable") }
            self.finished(answer)
        }
    }

    private func finished(_ answer: [(name: String, status: String)]) {
        last = (ContinuousClock.now, answer)
        checking = false
    }
}
