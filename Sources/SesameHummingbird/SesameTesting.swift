import Foundation
import Hummingbird

#if DEBUG
/// For an app's own tests: act as a signed-in person without running Sesame.
///
/// ```swift
/// router.add(middleware: SesameTesting.signIn(SesameUser(subject: "u1", roles: ["editor"]), context: SesameAppContext.self))
/// ```
///
/// It exists only in debug builds, and it refuses to run unless the test process sets
/// `SESAME_TESTING=1`, so it cannot switch itself on in a deployed app.
public enum SesameTesting {
    public static var isEnabled: Bool { ProcessInfo.processInfo.environment["SESAME_TESTING"] == "1" }

    public static func signIn<Context: SesameIdentityContext>(_ user: SesameUser?, context: Context.Type = SesameAppContext.self) -> TestSignIn<Context> {
        TestSignIn(user: user)
    }
}

/// Puts a fixed person (or nobody) in the context; see `SesameTesting`.
public struct TestSignIn<Context: SesameIdentityContext>: RouterMiddleware {
    let user: SesameUser?

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard SesameTesting.isEnabled else {
            preconditionFailure("SesameTesting.signIn runs only in tests that set SESAME_TESTING=1")
        }
        var context = context
        context.sesameUser = user
        return try await next(request, context)
    }
}
#endif
