import Foundation

/// Sign-ins between their first step and their last (see `SignInTransactions`).
public protocol SignInTransactionStore: Sendable {
    func insert(_ transaction: SignInTransaction) async throws
    func signInTransaction(idDigest: String) async throws -> SignInTransaction?
    /// Deletes the transaction and returns it, atomically: of two racing calls one gets it.
    func takeSignInTransaction(idDigest: String) async throws -> SignInTransaction?
    func deleteSignInTransactions(expiredBefore: Date) async throws
}
