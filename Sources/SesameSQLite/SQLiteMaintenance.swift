/// What the embedded database's background loop does at each tick beyond its PASSIVE checkpoint:
/// once no connection has been used for `quietTicksBeforeRelease` ticks, the WAL file is emptied
/// (all of it is checkpointed by then, so that costs nothing) and each connection's page cache is
/// handed back to the allocator (up to 2 MB a connection), once per quiet spell. A server returns
/// to its idle footprint, in memory and on disk, after a burst.
///
/// Under a steady stream of commits a PASSIVE checkpoint never catches up with the writer, so
/// SQLite never starts the WAL over and its file grows with the writes until the load stops (258 MB
/// after 30 s of `client_credentials` grants, measured). Emptying it under load instead, with a
/// TRUNCATE checkpoint once it passed 64 or 256 MiB, held commits back while it waited for readers
/// and synced: the refresh p99 went from 6 ms to 50-79 ms (Benchmarks/README.md), so it is not done.
public struct SQLiteMaintenance: Sendable {
    public struct Limits: Sendable {
        var quietTicksBeforeRelease: Int
        var tick: Duration

        public init(quietTicksBeforeRelease: Int = 5, tick: Duration = .seconds(1)) {
            self.quietTicksBeforeRelease = quietTicksBeforeRelease
            self.tick = tick
        }
    }

    let limits: Limits
    private var lastUses: Int?
    private var quietTicks = 0

    init(limits: Limits) {
        self.limits = limits
    }

    /// At each tick, with how many times the connections have been taken so far: empty the WAL
    /// and release the page caches now? True once, when the count has stood still for the whole
    /// quiet period.
    mutating func isQuietSpellStarting(uses: Int) -> Bool {
        defer { lastUses = uses }
        guard uses == lastUses else {
            quietTicks = 0
            return false
        }
        quietTicks += 1
        return quietTicks == limits.quietTicksBeforeRelease
    }
}
