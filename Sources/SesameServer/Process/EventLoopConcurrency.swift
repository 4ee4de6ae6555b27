import CSesameExecutorHook
import NIOCore
import NIOPosix

/// Runs Swift concurrency's global jobs on NIO's event loops instead of the runtime's own pool of
/// threads, so a request no longer hops between an event loop and that pool at every `await`.
///
/// NIO offers this (`unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`),
/// but it finds the runtime's hook with `dlsym`, and in the `sesame` binary, which links the Swift
/// runtime statically, the hook is a local symbol `dlsym` cannot see: the call returned false and
/// every job went to the runtime's threads (client_credentials at 10,700 a second instead of
/// 12,800 in one sitting; Benchmarks/README.md, "Swift concurrency on the event loops").
/// `CSesameExecutorHook` names the hook directly, so the static linker resolves it. Each job is
/// queued on the loop the enqueuing thread runs (or the next one) and run there as that loop's
/// serial executor, as NIO's own hook does. (Run as isolated to nothing instead, which saves a
/// trip through the loop's queue at each call into a nonisolated async function, it measured
/// slower: 9,900 a second in the same sitting.) What saves that trip is the request's task
/// preferring its loop as a task executor: `EventLoopAffinityMiddleware`, which does nothing
/// unless requests run on the loops, as they do once this returns `.eventLoops`.
public enum EventLoopConcurrency {
    /// The Swift runtime's hook type: the job, and the runtime's own enqueue (unused here).
    typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    public enum Outcome: String, Sendable {
        case eventLoops = "event-loops"
        /// Another hook was there first: jobs go wherever it sends them.
        case globalExecutor = "global-executor"
    }

    /// Call once, before the first task starts.
    static func install() -> Outcome {
        guard !sesame_enqueue_global_hook_is_set() else { return .globalExecutor }
        let hook: EnqueueGlobalHook = { job, _ in
            // `any()` is the current loop when called on one of the group's loops: no thread switch.
            MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
        }
        let installed = withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { slot -> Bool in
            slot.baseAddress!.initialize(to: hook)
            return slot.baseAddress!.withMemoryRebound(to: UnsafeMutableRawPointer.self, capacity: 1) {
                sesame_install_enqueue_global_hook($0.pointee)
            }
        }
        return installed ? .eventLoops : .globalExecutor
    }
}
