import NIOCore
import NIOPosix

/// One NIO event loop as a Swift task executor. A task that prefers it runs its nonisolated async
/// code, and the code of actors without an executor of their own, on that loop, and a call into a
/// nonisolated `async` function no longer goes back through the loop's queue.
///
/// With the global hook alone (`EventLoopConcurrency`), each job runs as the loop's *serial*
/// executor, and the runtime must leave a serial executor for every nonisolated call: one more
/// trip through the loop's queue each time (introspection answered 16,400 requests a second
/// instead of 23,300 in one sitting; Benchmarks/README.md, "Swift concurrency on the event loops").
public final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    public let loop: any EventLoop

    public init(loop: any EventLoop) {
        self.loop = loop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// A task executor for each loop of an event loop group, made once.
public struct EventLoopTaskExecutors: Sendable {
    private let byLoop: [ObjectIdentifier: EventLoopTaskExecutor]

    public init(group: MultiThreadedEventLoopGroup) {
        var byLoop: [ObjectIdentifier: EventLoopTaskExecutor] = [:]
        for loop in group.makeIterator() {
            byLoop[ObjectIdentifier(loop as AnyObject)] = EventLoopTaskExecutor(loop: loop)
        }
        self.byLoop = byLoop
    }

    /// The loops of NIO's singleton group, on which Hummingbird serves and the global hook runs jobs.
    public static let singleton = EventLoopTaskExecutors(group: .singleton)

    /// The executor of `loop`; nil for a loop of another group.
    public func executor(for loop: any EventLoop) -> EventLoopTaskExecutor? {
        byLoop[ObjectIdentifier(loop as AnyObject)]
    }

    /// The executor of the loop this thread runs; nil off the group's loops.
    public var current: EventLoopTaskExecutor? {
        MultiThreadedEventLoopGroup.currentEventLoop.flatMap(executor(for:))
    }
}
