/// The health of every server of one client, and which ones are being probed. A failed server is
/// not given operations again until a background probe (connect and bind) succeeds, so a server
/// that hangs costs one operation its time-out, not one operation per backoff period.
actor LDAPHealthBoard {
    private var servers: [LDAPServerHealth]
    private var probing: Set<Int> = []
    private let initialBackoff: Duration
    private let maxBackoff: Duration

    init(count: Int, initialBackoff: Duration, maxBackoff: Duration) {
        servers = Array(repeating: LDAPServerHealth(), count: count)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The servers to try, in order: the healthy ones; when none is, all of them (a directory that
    /// seems down is still tried rather than refused outright). Also says which failed servers are
    /// due for a probe; they are marked as probing.
    func plan(now: ContinuousClock.Instant = .now) -> (order: [Int], probe: [Int]) {
        var healthy: [Int] = []
        var due: [Int] = []
        for (index, health) in servers.enumerated() {
            if health.retryAt == nil {
                healthy.append(index)
            } else if health.isAvailable(at: now), !probing.contains(index) {
                due.append(index)
            }
        }
        probing.formUnion(due)
        return (healthy.isEmpty ? Array(servers.indices) : healthy, due)
    }

    func failed(_ index: Int, _ error: String, now: ContinuousClock.Instant = .now) {
        servers[index].recordFailure(error, at: now, initial: initialBackoff, maximum: maxBackoff)
    }

    func succeeded(_ index: Int) {
        servers[index].recordSuccess()
    }

    func probed(_ index: Int, problem: String?) {
        probing.remove(index)
        if let problem { failed(index, problem) } else { succeeded(index) }
    }

    func snapshot(now: ContinuousClock.Instant = .now) -> [LDAPServerHealth] { servers }
}
