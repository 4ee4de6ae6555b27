import Hummingbird

/// Runs the rest of each request with the event loop it arrived on as its task's executor
/// preference (`EventLoopTaskExecutor`): its nonisolated async code then stays on that loop
/// without a trip through the loop's queue at each call. Outermost, so it covers every other
/// middleware. When no executor is found (off the loops: the global hook is not installed, as in
/// tests that serve in-process), the request runs as it would without.
struct EventLoopAffinityMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The executor for the thread the request is on.
    let executor: @Sendable () -> (any TaskExecutor)?

    init(executor: @escaping @Sendable () -> (any TaskExecutor)? = { EventLoopTaskExecutors.singleton.current }) {
        self.executor = executor
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let executor = executor() else { return try await next(request, context) }
        return try await withTaskExecutorPreference(executor) { try await next(request, context) }
    }
}
