import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SesameCore

#if canImport(Glibc)
import Glibc
#endif

/// The threads that hash passwords, so a 50 ms scrypt never occupies one of the few threads that
/// serve every other request.
///
/// A hash goes to the thread that finished one most recently, not to whichever thread a shared
/// queue wakes. One sign-in at a time then always hashes on the same thread, which the kernel keeps
/// on its core, where the 16 MiB block the previous hash used (BoringSSL's pool keeps it) is still
/// partly in that core's cache. With NIO's thread pool the hashes alternated between two threads on
/// the two cores, and each hash cost 4-7 % more CPU than the same hash run in a loop
/// (Benchmarks/README.md, "A sign-in against one hash").
///
/// Up to `limit` threads, started when first needed and kept; hashes beyond that wait in order.
public final class HashingThreads: BlockingWork, @unchecked Sendable {
    /// One per process, one thread per core: a hash is all CPU.
    public static let shared = HashingThreads(limit: System.coreCount)

    private final class Worker: @unchecked Sendable {
        let wake = DispatchSemaphore(value: 0)
        var job: (@Sendable () -> Void)?  // under the pool's lock
    }

    private let limit: Int
    private let lock = NIOLock()
    private var idle: [Worker] = []  // the last one finished most recently
    private var started = 0
    private var waiting = CircularBuffer<@Sendable () -> Void>()  // oldest first; a taken job is released at once

    public init(limit: Int) {
        precondition(limit > 0, "a pool with no thread")
        self.limit = limit
    }

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Threads started so far, of those the ones waiting for work, and hashes waiting for a thread (tests).
    var threads: (started: Int, idle: Int, waiting: Int) { lock.withLock { (started, idle.count, waiting.count) } }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        enum Next { case wake(Worker), start(Worker, Int), wait }
        let next: Next = lock.withLock {
            if let worker = idle.popLast() {
                worker.job = job
                return .wake(worker)
            }
            if started < limit {
                started += 1
                let worker = Worker()
                worker.job = job
                return .start(worker, started)
            }
            waiting.append(job)
            return .wait
        }
        switch next {
        case .wake(let worker): worker.wake.signal()
        case .start(let worker, let number):
            Thread.detachNewThread { [self] in
                nameThisThread("sesame-hash-\(number)")
                serve(worker)
            }
        case .wait: break
        }
    }

    /// For `top -H` and /proc (Benchmarks/footprint.sh counts these threads' CPU by name).
    /// Foundation's `Thread.name` does not reach the kernel here, and glibc's
    /// `pthread_setname_np` is not visible to Swift; the kernel takes the name from this file.
    private func nameThisThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        _ = name.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }

    private func serve(_ worker: Worker) {
        while true {
            let job = lock.withLock {
                let job = worker.job!
                worker.job = nil
                return job
            }
            job()
            let more: Bool = lock.withLock {
                if let next = waiting.popFirst() {
                    worker.job = next
                    return true
                }
                idle.append(worker)
                return false
            }
            if !more { worker.wake.wait() }
        }
    }
}
