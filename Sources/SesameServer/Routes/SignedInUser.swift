import Hummingbird
import SesameCore

/// Finds the person behind a request's session cookie, if the session is live and the account
/// still exists and is enabled.
struct SignedInUser {
    let sessions: SessionService
    let users: any UserStore
    let cookies: BrowserCookies

    func resolve(_ request: Request) async throws -> (user: User, cookieValue: String)? {
        try await resolveSession(request).map { ($0.user, $0.cookieValue) }
    }

    func resolveSession(_ request: Request) async throws -> (user: User, session: SessionRecord, cookieValue: String)? {
        guard let cookieValue = cookies.sessionValue(in: request),
            let session = try await sessions.resume(cookieValue: cookieValue),
            let user = try await users.user(id: session.userID), !user.disabled
        else { return nil }
        return (user, session, cookieValue)
    }
}
