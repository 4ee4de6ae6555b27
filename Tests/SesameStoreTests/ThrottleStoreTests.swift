import Foundation
import SesameCore
import SesameSQL
import Testing

/// Attempts counted before they are checked, taken back, and old counts purged, on both stores.
@Suite struct ThrottleStoreTests {
    /// Each racer learns the failure before its own, so it can tell whether it came past the limit.
    @Test(arguments: StoreKind.allCases)
    func countedAttemptsSeeTheOnesBeforeThem(_ kind: StoreKind) async throws {
        try await withStores(kind, count: 2) { stores in
            let first = try await stores[0].countAttempt(key: "account:y", at: t0, forgetBefore: t0.addingTimeInterval(-60))
            #expect(first == CountedAttempt(count: FailureCount(failures: 1, lastFailureAt: t0), previousFailureAt: nil))
            #expect(first.before == nil)
            let t1 = t0.addingTimeInterval(5)
            let attempts = try await race(20, over: stores) { store in
                try await store.countAttempt(key: "account:y", at: t1, forgetBefore: t1.addingTimeInterval(-60))
            }
            #expect(Set(attempts.map(\.count.failures)) == Set(2...21))
            #expect(attempts.first { $0.count.failures == 2 }?.before == FailureCount(failures: 1, lastFailureAt: t0))
            #expect(attempts.allSatisfy { $0.before?.failures == $0.count.failures - 1 })
        }
    }

    /// A success at an address takes its attempt back, with the time of the failure before it, so
    /// the address's failures are still forgotten after a quiet while.
    @Test(arguments: StoreKind.allCases)
    func anUncountedAttemptRestoresTheCountBeforeIt(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let forget = t0.addingTimeInterval(-900)
            try await store.recordFailure(key: "address:192.0.2.1", at: t0, forgetBefore: forget)
            let later = t0.addingTimeInterval(100)
            _ = try await store.countAttempt(key: "address:192.0.2.1", at: later, forgetBefore: later.addingTimeInterval(-900))
            try await store.uncountAttempt(key: "address:192.0.2.1")
            #expect(try await store.failures(key: "address:192.0.2.1") == FailureCount(failures: 1, lastFailureAt: t0))
            try await store.uncountAttempt(key: "address:unknown")  // nothing to take back
            #expect(try await store.failures(key: "address:unknown") == nil)
        }
    }

    /// A slow check's failure counts from when it ended, and a late mark never moves it back.
    @Test(arguments: StoreKind.allCases)
    func aFailureIsMarkedWhenItsCheckEnds(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.countAttempt(key: "account:z", at: t0, forgetBefore: t0.addingTimeInterval(-60))
            try await store.markFailure(key: "account:z", at: t0.addingTimeInterval(2))
            try await store.markFailure(key: "account:z", at: t0.addingTimeInterval(1))
            #expect(try await store.failures(key: "account:z") == FailureCount(failures: 1, lastFailureAt: t0.addingTimeInterval(2)))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func countsOlderThanTheForgetWindowArePurged(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.recordFailure(key: "login:old", at: t0, forgetBefore: t0)
            try await store.recordFailure(key: "login:new", at: t0.addingTimeInterval(7200), forgetBefore: t0)
            #expect(try await store.purgeFailures(before: t0.addingTimeInterval(3600)) == 1)
            #expect(try await store.failures(key: "login:old") == nil)
            #expect(try await store.failures(key: "login:new")?.failures == 1)
        }
    }
}
