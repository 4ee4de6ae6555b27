/// Who made a management change. Each door names its caller one way, so the audit trail's actor
/// is spelled the same for a change whichever door it came through.
public enum ManagementActor: Sendable, Equatable {
    /// The `sesame` command line, run by whoever can read the store.
    case cli
    /// An admin API call with a client's own token (client credentials).
    case apiClient(clientID: String)
    /// An admin API call on behalf of a signed-in person.
    case adminUser(userID: String)
    /// The running server on its own schedule (the periodic directory check).
    case server

    /// The audit trail's `actor` field.
    public var auditName: String {
        switch self {
        case .cli: "cli"
        case .apiClient(let clientID): "client:\(clientID)"
        case .adminUser(let userID): "user:\(userID)"
        case .server: "server"
        }
    }
}
