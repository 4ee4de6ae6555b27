import Foundation
import SesameCore
import Testing

@Suite struct AuditChainTests {
    let event = AuditEvent(type: "user.created", at: Date(timeIntervalSince1970: 1_800_000_000.25), actor: "cli", subject: "u1", detail: "{}")

    @Test func theHashCoversEveryFieldAndThePreviousHash() {
        let base = AuditChain.hash(of: event, previous: AuditChain.genesis)
        #expect(base.count == 64)
        #expect(AuditChain.hash(of: event, previous: AuditChain.genesis) == base, "deterministic")
        var changed: [AuditEvent] = []
        for edit in [
            { (e: inout AuditEvent) in e.type = "user.deleted" }, { $0.at = $0.at.addingTimeInterval(0.001) }, { $0.actor = nil },
            { $0.subject = "u2" }, { $0.clientID = "c" }, { $0.clientAddress = "127.0.0.1" }, { $0.detail = nil },
        ] {
            var copy = event
            edit(&copy)
            changed.append(copy)
        }
        for other in changed { #expect(AuditChain.hash(of: other, previous: AuditChain.genesis) != base) }
        #expect(AuditChain.hash(of: event, previous: base) != base)
    }

    @Test func fieldsCannotBeShiftedIntoEachOther() {
        // Without length prefixes these two would encode alike.
        let a = AuditEvent(type: "x", at: event.at, actor: "a|b", subject: "c")
        let b = AuditEvent(type: "x", at: event.at, actor: "a", subject: "b|c")
        #expect(AuditChain.hash(of: a, previous: AuditChain.genesis) != AuditChain.hash(of: b, previous: AuditChain.genesis))
    }

    @Test func linkingChainsEachEventToTheOneBefore() {
        let links = AuditChain.link([event, event, event], after: AuditChain.genesis)
        #expect(links[0].previousHash == AuditChain.genesis)
        #expect(links[1].previousHash == links[0].hash && links[2].previousHash == links[1].hash)
        #expect(Set(links.map(\.hash)).count == 3, "the same event at another place hashes differently")
    }
}
