import Foundation
import SesameServer
import Testing

/// Process-wide choices `sesame serve` makes before it starts (ServerProcess.swift).
@Suite struct ServerProcessTests {
    /// Foundation's default zone is GMT (this machine's own is Etc/UTC, so the test can fail), and
    /// what the system says is left alone.
    @Test func theDefaultTimeZoneIsGMT() {
        let system = TimeZone.current
        ServerProcess.useGMTAsDefaultTimeZone()
        #expect(NSTimeZone.default.identifier == "GMT")
        #expect(NSTimeZone.default.secondsFromGMT() == 0)
        #expect(TimeZone.current == system)
    }
}
