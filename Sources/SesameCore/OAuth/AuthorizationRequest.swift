import Foundation

public enum ResponseMode: String, Sendable, CaseIterable {
    case query
    case formPost = "form_post"
}

/// An authorization request that has passed every check.
public struct AuthorizationRequest: Sendable {
    public var client: Client
    public var redirectURI: String
    /// Whether the request named `redirect_uri` (the token request must then repeat it, RFC 6749 §4.1.3).
    public var redirectURIWasGiven: Bool = true
    public var responseMode: ResponseMode
    public var state: String?
    public var nonce: String?
    public var scope: Scope
    public var codeChallenge: String?
    public var prompt: Set<String>
    public var maxAge: Int?
    public var loginHint: String?
    /// The `sub` of a valid `id_token_hint`.
    public var hintedSubject: String?
    /// Set by the server on the way back from a forced sign-in, from its signed marker: a session
    /// that signed in at or after this time needs no further sign-in.
    public var authenticatedAfter: Date?
    /// The highest `acr_values` level Sesame knows that the request asked for.
    public var requestedLevel: AssuranceLevel?
    /// The client asked for `acr_values=2`, or requires a second factor for everyone.
    public var requireMultiFactor: Bool { client.requireTwoFactor || requestedLevel == .twoFactor }
    /// The request's parameters, to carry through sign-in and consent unchanged.
    public var parameters: [String: String]
}

/// How an authorization request ends when it cannot go on.
public enum AuthorizeFailure: Error, Sendable {
    /// The client or redirect URI cannot be trusted: show an error page, never redirect.
    case page(String)
    /// Tell the client, at its verified redirect URI (RFC 6749 §4.1.2.1).
    case redirect(OAuthError, redirectURI: String, state: String?, mode: ResponseMode)
}
