import Foundation
import SesameTestSupport
import Testing

/// The helper the suites start tools with (SesameTestSupport/ChildProcess.swift).
@Suite struct ChildProcessTests {
    /// CI's crash: Foundation's `Process.run()` read past the end of its `/proc/self/fd` listing
    /// once the test process held over a thousand descriptors (it depends on where the listing's
    /// buffer lands, so no test here can bring it on at will). ChildProcess never lists them: with
    /// 1,500 more open than usual the tool starts, and sees only standard input, output and error
    /// (and `ls`'s own listing).
    @Test func aToolStartsBesideThousandsOfOpenDescriptorsAndInheritsNone() async throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let extra = min(1_500, Int(limit.rlim_cur) - 3_000)  // room for the suites running alongside
        try #require(extra > 1_000, "RLIMIT_NOFILE \(limit.rlim_cur) is too low for this test")
        let held = (0..<extra).map { _ in open("/dev/null", O_RDONLY) }
        defer { held.forEach { close($0) } }
        #expect(held.allSatisfy { $0 >= 0 })

        let listed = try await runTool("/usr/bin/ls", ["/proc/self/fd"]).output
        #expect(Set(listed.split(separator: "\n")) == ["0", "1", "2", "3"])
    }

    @Test func itReportsTheExitStatusAndASignalAs128PlusItsNumber() async throws {
        #expect(try await ChildProcess.run("/bin/sh", ["-c", "exit 3"]) == 3)
        // SIGTERM reaches the child: no signal blocked or ignored is passed on to it.
        #expect(try await ChildProcess.run("/bin/sh", ["-c", "kill -TERM $$; sleep 5"]) == 128 + SIGTERM)
    }

    @Test func standardInputComesFromTheGivenFile() async throws {
        #expect(try await runTool("/usr/bin/tr", ["a-z", "A-Z"], input: "ldif\n").output == "LDIF\n")
    }

    @Test func aRunningChildIsSeenRunningUntilItEnds() async throws {
        let child = try ChildProcess("/bin/sleep", ["30"])
        #expect(child.isRunning)
        kill(child.pid, SIGKILL)
        #expect(await child.wait() == 128 + SIGKILL)
        #expect(!child.isRunning)
    }

    @Test func aMissingToolIsAnError() async throws {
        await #expect(throws: ChildProcessError.self) { try await ChildProcess.run("/nonexistent/tool", []) }
    }
}
