/// A `/cas/login` request (CAS 3.0 §2.1.1), read from its parameters.
public struct CASLoginRequest: Sendable, Equatable {
    /// The application's URL, to send the ticket to; nil or empty shows Sesame's own account page.
    public var serviceURL: String?
    /// Sign in anew whatever the session (single sign-on bypassed).
    public var renew: Bool
    /// Never show a page: back to the service, with a ticket or without one.
    public var gateway: Bool
    /// `method=POST`: the ticket goes back in a form post rather than the URL.
    public var postsTicket: Bool

    public init(parameters: [String: String]) {
        func flag(_ name: String) -> Bool { parameters[name].map { $0 == "true" || $0 == "1" } ?? false }
        serviceURL = parameters["service"].flatMap { $0.isEmpty ? nil : $0 }
        renew = flag("renew")
        gateway = flag("gateway")
        postsTicket = parameters["method"]?.uppercased() == "POST"
    }

    /// What this request asks of the sign-in policy for `service`. `justSignedIn` comes from the
    /// server's marker: the session's sign-in is the one this browser was just sent to do for it.
    public func policyInput(service: CASService, signedIn: SignInPolicyInput.SignedIn?, justSignedIn: Bool) -> SignInPolicyInput {
        var input = SignInPolicyInput(signedIn: signedIn, app: SignInPolicyApp(casService: service))
        input.forceFreshSignIn = renew
        input.justSignedIn = justSignedIn
        // renew and gateway together are undefined; CAS 3.0 §2.1.1 recommends that renew win.
        input.silent = gateway && !renew
        return input
    }
}
