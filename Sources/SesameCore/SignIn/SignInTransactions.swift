import Foundation

/// Begins, resumes and finishes sign-in transactions. The cookie value is random and shown to the
/// browser only; the store keeps its digest.
public struct SignInTransactions: Sendable {
    public static let lifetime: TimeInterval = 5 * 60

    private let store: any SignInTransactionStore
    private let clock: any WallClock
    private let random: any RandomSource

    public init(store: any SignInTransactionStore, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandom()) {
        self.store = store
        self.clock = clock
        self.random = random
    }

    /// A new transaction for `userID` after a first step that earned `methods`, bound to the
    /// browser whose secret is `browser`. Returns the cookie value.
    public func begin(userID: String, methods: [String], browser: String) async throws -> (cookieValue: String, transaction: SignInTransaction) {
        let value = random.token(byteCount: 32)
        let now = clock.now()
        let transaction = SignInTransaction(
            idDigest: TokenDigest.of(value), userID: userID, browserDigest: Self.binding(browser), methods: methods,
            createdAt: now, expiresAt: now.addingTimeInterval(Self.lifetime)
        )
        try await store.insert(transaction)
        return (value, transaction)
    }

    /// The live transaction of this cookie value in this browser, or nil (unknown, expired, or
    /// begun in another browser).
    public func resume(cookieValue: String, browser: String?) async throws -> SignInTransaction? {
        guard let transaction = try await store.signInTransaction(idDigest: TokenDigest.of(cookieValue)) else { return nil }
        return isLive(transaction, browser: browser) ? transaction : nil
    }

    /// Spends the transaction once its last step is done: nil when it was already spent (a
    /// parallel answer won), has expired, or belongs to another browser.
    public func finish(cookieValue: String, browser: String?) async throws -> SignInTransaction? {
        guard let transaction = try await store.takeSignInTransaction(idDigest: TokenDigest.of(cookieValue)) else { return nil }
        return isLive(transaction, browser: browser) ? transaction : nil
    }

    /// Ends it without a session (too many wrong answers).
    public func abandon(cookieValue: String) async throws {
        _ = try await store.takeSignInTransaction(idDigest: TokenDigest.of(cookieValue))
    }

    public func purgeExpired() async throws {
        try await store.deleteSignInTransactions(expiredBefore: clock.now())
    }

    private func isLive(_ transaction: SignInTransaction, browser: String?) -> Bool {
        guard let browser, clock.now() < transaction.expiresAt else { return false }
        return ConstantTime.equals(transaction.browserDigest, Self.binding(browser))
    }

    /// Its own label, so the stored value is no digest the CSRF check or a session would use.
    static func binding(_ browser: String) -> String { TokenDigest.of("sign-in-transaction-browser:" + browser) }
}
