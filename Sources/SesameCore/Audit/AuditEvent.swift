import Foundation

/// One entry of the audit trail: what happened, who did it, to whom, through which client, from
/// where. Secrets never go in here.
public struct AuditEvent: Sendable, Equatable {
    public var type: String
    public var at: Date
    public var actor: String?
    public var subject: String?
    public var clientID: String?
    public var clientAddress: String?
    public var detail: String?

    public init(type: String, at: Date, actor: String? = nil, subject: String? = nil, clientID: String? = nil, clientAddress: String? = nil, detail: String? = nil) {
        self.type = type
        self.at = at
        self.actor = actor
        self.subject = subject
        self.clientID = clientID
        self.clientAddress = clientAddress
        self.detail = detail
    }
}

public protocol AuditStore: Sendable {
    /// Appends `events` to the end of the chain, in order, linking each to the one before.
    func append(_ events: [AuditEvent]) async throws
    /// Chained events with an id above `afterID`, oldest first.
    func auditChain(afterID: Int, limit: Int) async throws -> [ChainedAuditEvent]
    /// Where the chain starts after older events were pruned; nil when nothing was pruned.
    func auditChainAnchor() async throws -> AuditChainAnchor?
}
