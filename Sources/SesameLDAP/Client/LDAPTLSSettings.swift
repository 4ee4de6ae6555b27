import NIOCore
import NIOSSL

/// How TLS (LDAPS or StartTLS) checks the server. Verification is on unless a caller turns it off
/// explicitly with `.insecureNoVerification`, which exists for tests only.
public struct LDAPTLSSettings: Sendable, Hashable {
    public enum Trust: Sendable, Hashable {
        /// The system's trust store.
        case system
        /// CA certificates in a PEM file.
        case caFile(String)
        /// CA certificates as PEM text.
        case caPEM(String)
    }

    public var trust: Trust
    /// Checks the certificate chain and that the certificate names the URL's host.
    public var verify: Bool

    public init(trust: Trust = .system, verify: Bool = true) {
        self.trust = trust
        self.verify = verify
    }

    public static let system = LDAPTLSSettings()
    public static func ca(file: String) -> LDAPTLSSettings { .init(trust: .caFile(file)) }
    /// No chain and no host-name check: only for tests against throw-away certificates.
    public static let insecureNoVerification = LDAPTLSSettings(trust: .system, verify: false)

    func makeContext() throws(LDAPClientError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        // The host name is checked by LDAPHostNameCheck after the handshake: NIOSSL would also
        // accept an IP SAN matching the connected address for a URL that names a host.
        configuration.certificateVerification = verify ? .noHostnameVerification : .none
        do {
            switch trust {
            case .system:
                configuration.trustRoots = .default
            case .caFile(let path):
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
            case .caPEM(let pem):
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw LDAPClientError(.tls, "the TLS settings cannot be used: \(error)")
        }
    }
}
