import CSesameCryptoMemory
import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Process-wide choices for `sesame serve`, made once before the server starts.
public enum ServerProcess {
    /// Swift concurrency's jobs run on NIO's event loops instead of a second pool of threads: a
    /// request then no longer hops between an event loop and the global executor at every
    /// `await` (profiled: a third of the token endpoint's time went to those thread switches).
    /// Nothing on the server blocks a loop for long: password hashes run on threads of their own
    /// (`HashingThreads`), SQLite's short statements on the calling thread, and everything else
    /// awaits. Returns where the jobs run, for the start-up log line.
    @discardableResult
    public static func prepare() -> EventLoopConcurrency.Outcome {
        // At most two malloc arenas (glibc's default is eight per core): fewer half-empty heaps
        // kept after a burst. Blocks of 1 MiB and more are mapped for each use and unmapped when
        // freed, instead of glibc raising its threshold after the first such block and keeping
        // them in its heaps. (A password hash's 16 MiB does not come from malloc: BoringSSL
        // allocates through CSesameCryptoMemory, which keeps two such blocks between sign-ins.)
        _ = GlibcMalloc.mallopt?(GlibcMalloc.arenaMax, 2)
        _ = GlibcMalloc.mallopt?(GlibcMalloc.mmapThreshold, 1 << 20)
        let concurrency = EventLoopConcurrency.install()
        useGMTAsDefaultTimeZone()
        return concurrency
    }

    /// The server writes every date in UTC (ISO 8601, JWT numbers, the HTTP Date header), so
    /// Foundation's default time zone is GMT. Left to the system's, Hummingbird's Date-header
    /// calendar, made at start, looked the zone of /etc/localtime up in ICU's time-zone data: about
    /// 1 MiB of pages an idle server held for nothing (Benchmarks/README.md, "Idle memory").
    /// GMT itself is answered without ICU.
    public static func useGMTAsDefaultTimeZone() {
        NSTimeZone.default = .gmt
    }

    /// Hands memory freed since the last call back to the system: what glibc holds free in its
    /// heaps, and the blocks kept for password hashes once no hash has run for `hashIdleSeconds`
    /// (16 MiB each; the server calls this every few seconds, so that a burst of sign-ins does
    /// not stay resident).
    public static func releaseFreeMemory(hashIdleSeconds: Double = 5) {
        _ = sesame_block_pool_release_idle(sesame_crypto_memory(), hashIdleSeconds)
        _ = GlibcMalloc.mallocTrim?(0)
    }
}

/// glibc's `mallopt` and `malloc_trim` (from malloc.h, which Swift's Glibc module leaves out),
/// looked up once; nil on a C library without them.
private enum GlibcMalloc {
    static let arenaMax: Int32 = -8  // M_ARENA_MAX
    static let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD

    static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = symbol("mallopt")
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = symbol("malloc_trim")

    private static func symbol<T>(_ name: String) -> T? {
        #if canImport(Glibc)
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
        #else
        return nil
        #endif
    }
}
