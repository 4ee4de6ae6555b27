/// Everything the LDAP client can fail with. A server's refusal of a bind is not an error (it is an
/// `LDAPBindResponse`); errors are for what went wrong on the way: the network, TLS, time-outs, a
/// server breaking the protocol, or an operation whose result code says it failed.
public struct LDAPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidURL
        /// A simple bind with an empty password is an anonymous bind (RFC 4513 §5.1.2): refused before sending.
        case emptyPassword
        case connectFailed
        case tls
        /// The server refused StartTLS, or sent bytes between its answer and the handshake.
        case startTLSFailed
        case timedOut
        /// The connection closed (by the server, or after an earlier failure) before the answer came.
        case connectionClosed
        /// The server sent a Notice of Disconnection (RFC 4511 §4.4.1).
        case noticeOfDisconnection
        case protocolViolation
        /// The server answered with a result code that means the operation failed.
        case operationFailed
        /// Every pooled connection stayed busy for longer than the pool's wait.
        case poolExhausted
        /// No configured server could be reached.
        case allServersFailed
        case shutDown
        /// The task waiting for the answer was cancelled; the connection was closed.
        case cancelled
    }

    public var kind: Kind
    /// What happened, for logs; never holds a password.
    public var message: String
    /// The server's result, when the server answered.
    public var result: LDAPResult?
    /// The server (URL) concerned, when known.
    public var server: String?

    public init(_ kind: Kind, _ message: String, result: LDAPResult? = nil, server: String? = nil) {
        self.kind = kind
        self.message = message
        self.result = result
        self.server = server
    }

    /// For logs: the server's diagnostic message is shortened and stripped of control characters.
    public var description: String {
        var text = "LDAP \(kind): \(message)"
        if let result {
            let diagnostic = Self.printable(result.diagnosticMessage, limit: 200)
            text += " (result \(result.code.rawValue)\(diagnostic.isEmpty ? "" : ", \(diagnostic)"))"
        }
        if let server { text += " [\(server)]" }
        return text
    }

    static func printable(_ text: String, limit: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(limit) {
            scalars.append(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "?" : scalar)
        }
        return String(scalars)
    }

    /// Whether another server might do better: the network, TLS, time-outs, busy or unavailable
    /// servers. An answer about the request itself (wrong password, no such object) is not.
    public var isServerFailure: Bool {
        switch kind {
        case .connectFailed, .tls, .startTLSFailed, .timedOut, .connectionClosed, .noticeOfDisconnection, .protocolViolation:
            return true
        case .operationFailed:
            guard let code = result?.code else { return false }
            return code == .busy || code == .unavailable
        case .invalidURL, .emptyPassword, .poolExhausted, .allServersFailed, .shutDown, .cancelled:
            return false
        }
    }

    static func invalidURL(_ message: String) -> Self { .init(.invalidURL, message) }
    static func timedOut(_ what: String) -> Self { .init(.timedOut, "\(what) took longer than its time-out") }
    static func closed(_ message: String = "the connection is closed") -> Self { .init(.connectionClosed, message) }
    static func protocolViolation(_ message: String) -> Self { .init(.protocolViolation, message) }
    static func failed(_ operation: String, _ result: LDAPResult) -> Self {
        .init(.operationFailed, "\(operation) failed", result: result)
    }

    func at(_ server: String) -> Self {
        var copy = self
        if copy.server == nil { copy.server = server }
        return copy
    }
}
