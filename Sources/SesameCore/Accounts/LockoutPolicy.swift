import Foundation

/// When repeated failures stop further attempts. After `threshold` failures in a row, each
/// further attempt waits `baseDelay` doubled for every failure past the threshold, capped at
/// `maxDelay`, counted from the latest failure: 1 s, 2 s, 4 s ... 15 min.
public struct LockoutPolicy: Sendable, Equatable {
    public var threshold: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    /// Failures older than this are forgotten, so that an old run of typos does not count forever.
    public var forgetAfter: TimeInterval

    public init(threshold: Int, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 15 * 60, forgetAfter: TimeInterval = 24 * 3600) {
        self.threshold = threshold
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.forgetAfter = forgetAfter
    }

    /// Per account: five failures in a row.
    public static let account = LockoutPolicy(threshold: 5)
    /// Per client address: more failures, and forgotten after a quiet quarter of an hour, since
    /// one address may be a whole office behind NAT and a success cannot reset it (an attacker
    /// would sign in to their own account between guesses).
    public static let clientAddress = LockoutPolicy(threshold: 20, forgetAfter: 15 * 60)
    /// Per account, for wrong second-step codes, counted apart from passwords: a right password
    /// must not buy more guesses at a six-digit code.
    public static let secondFactor = LockoutPolicy(threshold: 5)

    /// The delay after `failures` consecutive failures, or nil when attempts are not held back.
    public func delay(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= threshold else { return nil }
        let doublings = failures - threshold
        // 2^doublings overflows nothing here: past 20 doublings the cap has long applied.
        return min(maxDelay, baseDelay * pow(2, Double(min(doublings, 40))))
    }

    /// When the next attempt is allowed, or nil when it is allowed now.
    public func retryAt(_ count: FailureCount?, now: Date) -> Date? {
        guard let count, now.timeIntervalSince(count.lastFailureAt) < forgetAfter,
            let delay = delay(afterFailures: count.failures)
        else { return nil }
        let until = count.lastFailureAt.addingTimeInterval(delay)
        return until > now ? until : nil
    }
}
