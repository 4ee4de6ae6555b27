#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A tool the tests run (openssl, slapd, ldapadd, zbarimg), started with `posix_spawn` rather than
/// Foundation's `Process`, for two reasons seen in CI:
///
/// - On Linux, `Process.run()` lists `/proc/self/fd` to close every inherited descriptor, copying
///   each entry's whole 256-byte name field. The suites run at once and hold over a thousand
///   descriptors (each open SQLite store has several); once the listing fills the directory
///   buffer, that copy read past its end and the test process died of SIGSEGV.
/// - Waiting (`waitUntilExit`) blocks the calling thread; on one of the two threads of Swift's
///   concurrency pool, that held every other test up (an LDAP test once waited 18 s for its turn).
///
/// Here the child closes every descriptor above standard error itself (`closefrom`), starts with
/// no signal blocked and default handlers, and is reaped by a thread of its own.
public struct ChildProcess: Sendable {
    public let pid: pid_t
    private let exit: Task<Int32, Never>

    /// Starts `path` with `arguments`. Standard input is read from the file `input` and standard
    /// output written to the file `output` (created or truncated); either is /dev/null when not
    /// given, and standard error always is.
    public init(_ path: String, _ arguments: [String], input: String? = nil, output: String? = nil) throws {
        let pid = try Self.spawn(path, arguments, input: input ?? "/dev/null", output: output ?? "/dev/null")
        self.pid = pid
        exit = Task { await Self.reap(pid) }
    }

    /// Runs `path` to its end and returns its exit status (128 + the signal if one ended it).
    public static func run(_ path: String, _ arguments: [String], input: String? = nil, output: String? = nil) async throws -> Int32 {
        try await ChildProcess(path, arguments, input: input, output: output).wait()
    }

    /// The exit status once the child has ended (128 + the signal if one ended it).
    public func wait() async -> Int32 { await exit.value }

    /// Whether the child has not ended yet. Looks without reaping it (`WNOWAIT`), so `wait()` still
    /// gets its status.
    public var isRunning: Bool {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return false }  // reaped already
        return info._sifields._sigchld.si_pid == 0
    }

    private static func spawn(_ path: String, _ arguments: [String], input: String, output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        guard addCloseFrom(&actions, STDERR_FILENO + 1) == 0 else {
            throw ChildProcessError(path: path, reason: "posix_spawn_file_actions_addclosefrom_np failed")
        }

        // The test process may block signals (SIGTERM among them) and a child inherits the mask.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw ChildProcessError(path: path, reason: String(cString: strerror(result))) }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module leaves out (it is declared for _GNU_SOURCE only).
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("glibc 2.34 or later is needed: posix_spawn_file_actions_addclosefrom_np is missing")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Waits for `pid` on a thread made for it, never on one of Swift's concurrency threads.
    private static func reap(_ pid: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }.start()
        }
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "could not start \(path): \(reason)" }
}
