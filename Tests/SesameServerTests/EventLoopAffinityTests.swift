import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import SesameServer

/// Where a nonisolated async function runs after a real suspension: on the thread of whatever
/// executor the task prefers, or (with no preference, in this test process without the global
/// hook) on Swift's own pool.
nonisolated func runsOn(_ loop: any EventLoop, after other: any EventLoop) async throws -> Bool {
    // Completed on another loop's thread: the continuation is enqueued from there.
    _ = try await other.submit { 1 }.get()
    await Task.yield()
    return loop.inEventLoop
}

/// An actor without an executor of its own.
actor Counter {
    var count = 0
    func increment(checking loop: any EventLoop) -> Bool {
        count += 1
        return loop.inEventLoop
    }
}

/// `EventLoopTaskExecutor`, `EventLoopTaskExecutors` and `EventLoopAffinityMiddleware`.
@Suite struct EventLoopAffinityTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let executors = EventLoopTaskExecutors(group: Self.group)
    var loops: [any EventLoop] { Array(Self.group.makeIterator()) }

    @Test func nonisolatedCodeAndDefaultActorsRunOnThePreferredLoop() async throws {
        let (loop, other) = (loops[1], loops[0])
        let executor = try #require(executors.executor(for: loop))
        let counter = Counter()
        let (there, inActor, afterActor) = try await withTaskExecutorPreference(executor) {
            let there = try await runsOn(loop, after: other)
            let inActor = await counter.increment(checking: loop)
            return (there, inActor, try await runsOn(loop, after: other))
        }
        #expect(there && inActor && afterActor)
        // Without the preference the same code runs elsewhere: the check above can fail.
        #expect(try await runsOn(loop, after: other) == false)
        #expect(await counter.increment(checking: loop) == false)
    }

    @Test func eachLoopHasItsOwnExecutorAndOtherThreadsNone() async throws {
        for loop in loops {
            let found = try await loop.submit { executors.current }.get()
            #expect(found != nil && found === executors.executor(for: loop))
            #expect(found?.loop === loop)
        }
        #expect(executors.current == nil)
        let stranger = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        #expect(executors.executor(for: stranger.any()) == nil)
        #expect(try await stranger.any().submit { executors.current }.get() == nil)
        try await stranger.shutdownGracefully()
    }

    func whereHandled(preferring executor: EventLoopTaskExecutor?) async throws -> String {
        let (loop, other) = (loops[1], loops[0])
        let router = Router()
        router.add(middleware: EventLoopAffinityMiddleware<BasicRequestContext>(executor: { executor }))
        router.get("/where") { _, _ in try await runsOn(loop, after: other) ? "on the loop" : "elsewhere" }
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/where", method: .get) { String(buffer: $0.body) }
        }
    }

    @Test func theMiddlewareRunsTheRequestOnTheLoopsExecutor() async throws {
        #expect(try await whereHandled(preferring: executors.executor(for: loops[1])) == "on the loop")
        // No executor for this thread: the request runs as it would without the middleware.
        #expect(try await whereHandled(preferring: nil) == "elsewhere")
    }
}
