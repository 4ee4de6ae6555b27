import NIOCore
import NIOSSL

/// What the connection hands its channel handler: an operation to send, how its answer is
/// gathered, and the promise that gets the final answer.
struct LDAPRequest {
    enum Gathering {
        /// One response ends the operation (bind, modify, extended).
        case single
        /// Entries and references until searchResultDone.
        case search
        /// No response (unbind): done once written.
        case none
        /// The StartTLS extended response, then the handshake.
        case startTLS(LDAPTLSUpgrade)
    }

    var operation: LDAPOperation
    var controls: [LDAPControl]
    var gathering: Gathering
    var timeout: Duration
    var promise: EventLoopPromise<LDAPResponse>
}

/// The final answer to one request.
enum LDAPResponse {
    case message(LDAPMessage)
    case search(entries: [LDAPSearchEntry], references: [[String]], done: LDAPMessage)
    /// Unbind was written; StartTLS finished its handshake.
    case done
}

/// What is needed to put TLS on a live connection (StartTLS) or check a fresh one (LDAPS).
struct LDAPTLSUpgrade {
    var context: NIOSSLContext
    var host: String
    var verify: Bool

    /// SNI carries DNS names only (RFC 6066 §3).
    var serverNameIndication: String? {
        LDAPHostNameCheck.ipAddressBytes(host) == nil ? host : nil
    }
}
