import Foundation
import Testing

@testable import SesameCore

@Suite struct LockoutPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func delaysDoubleFromOneSecondAfterFiveFailuresAndCapAtFifteenMinutes() {
        let policy = LockoutPolicy.account
        #expect((0...4).allSatisfy { policy.delay(afterFailures: $0) == nil })
        #expect(policy.delay(afterFailures: 5) == 1)
        #expect(policy.delay(afterFailures: 6) == 2)
        #expect(policy.delay(afterFailures: 7) == 4)
        #expect(policy.delay(afterFailures: 14) == 512)
        #expect(policy.delay(afterFailures: 15) == 900)
        #expect(policy.delay(afterFailures: 10_000) == 900)
    }

    @Test func retryTimeCountsFromTheLatestFailure() {
        let policy = LockoutPolicy.account
        let count = FailureCount(failures: 7, lastFailureAt: t0)
        #expect(policy.retryAt(count, now: t0.addingTimeInterval(1)) == t0.addingTimeInterval(4))
        #expect(policy.retryAt(count, now: t0.addingTimeInterval(3.999)) == t0.addingTimeInterval(4))
        #expect(policy.retryAt(count, now: t0.addingTimeInterval(4)) == nil)
        #expect(policy.retryAt(FailureCount(failures: 4, lastFailureAt: t0), now: t0) == nil)
        #expect(policy.retryAt(nil, now: t0) == nil)
    }

    @Test func oldFailuresAreForgotten() {
        let policy = LockoutPolicy(threshold: 5, forgetAfter: 3600)
        let count = FailureCount(failures: 30, lastFailureAt: t0)
        #expect(policy.retryAt(count, now: t0.addingTimeInterval(10)) != nil)
        #expect(policy.retryAt(count, now: t0.addingTimeInterval(3600)) == nil)
    }
}

extension LockoutPolicyTests {
    @Test func addressesGetMoreRoomAndForgetSooner() {
        let policy = LockoutPolicy.clientAddress
        #expect(policy.delay(afterFailures: 19) == nil)
        #expect(policy.delay(afterFailures: 20) == 1)
        let count = FailureCount(failures: 25, lastFailureAt: t0)
        #expect(policy.retryAt(count, now: t0.addingTimeInterval(5)) == t0.addingTimeInterval(32))
        #expect(policy.retryAt(count, now: t0.addingTimeInterval(15 * 60)) == nil)
    }
}
