import Foundation
import SesameCore
import Testing

/// What goes into the audit log is bounded: much of it comes from requests no one has
/// authenticated (a 60 KB client_id at /token, a CAS service URL).
@Suite struct AuditBoundsTests {
    let at = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func everyFieldIsCutToItsBound() {
        let huge = String(repeating: "a", count: 60_000)
        let event = AuditEvent(type: huge, at: at, actor: huge, subject: huge, clientID: huge, clientAddress: huge, detail: "service=" + huge).bounded
        for field in [event.type, event.actor, event.subject, event.clientID, event.clientAddress] {
            #expect(field?.utf8.count == AuditEvent.maxFieldBytes)
            #expect(field?.hasSuffix("…") == true, "a cut is marked")
        }
        #expect(event.detail?.utf8.count == AuditEvent.maxDetailBytes)
        #expect(event.detail?.hasPrefix("service=aaa") == true)
    }

    @Test func cutsFallOnScalarBoundaries() {
        // 2-, 3- and 4-byte scalars, and a combining mark that would join a cluster across the cut.
        for unit in ["é", "€", "😀", "e\u{301}"] {
            let bounded = AuditEvent(type: "t", at: at, clientID: String(repeating: unit, count: 500)).bounded
            let id = bounded.clientID!
            #expect(id.utf8.count <= AuditEvent.maxFieldBytes)
            #expect(String(validating: Array(id.utf8), as: UTF8.self) == id)
            #expect(id.unicodeScalars.dropLast().allSatisfy { unit.unicodeScalars.contains($0) })
        }
    }

    @Test func controlCharactersAreDropped() {
        let event = AuditEvent(
            type: "cas.validation_failed", at: at, clientID: "app\r\nforged\tline\u{0}\u{85}\u{202E}\u{2028}",
            detail: "service=https://x.test/\u{1B}[31m"
        ).bounded
        #expect(event.clientID == "appforgedline")
        #expect(event.detail == "service=https://x.test/[31m")
    }

    @Test func shortCleanValuesAreKeptAsTheyAre() {
        let event = AuditEvent(type: "sign_in.failed", at: at, actor: "u1", subject: "u1", clientID: "app", clientAddress: "192.0.2.1", detail: "reason=wrong_password ünïcode")
        #expect(event.bounded == event)
        #expect(event.bounded.bounded == event.bounded)
    }
}
