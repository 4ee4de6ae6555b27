
/// Signing key management for every door (CLI, admin API): listing and rotation, with one audit
/// event per rotation whichever door asked.
public struct SigningKeyManagement: Sendable {
    private let ring: SigningKeyRing
    private let store: any SigningKeyStore
    /// Where rotations are recorded; nil records nothing.
    public var audit: AuditTrail?
    /// Who changes things, as the audit trail names them.
    public var actor = ManagementActor.cli

    public init(ring: SigningKeyRing, store: any SigningKeyStore) {
        self.ring = ring
        self.store = store
    }

    /// Every key, current and superseded; makes the current ones first if there are none yet.
    public func keys() async throws -> [StoredSigningKey] {
        try await ring.ensureKeys()
        return try await store.signingKeys()
    }

    /// New current keys for every algorithm; the previous ones stay published for a while.
    public func rotate() async throws -> [StoredSigningKey] {
        let keys = try await ring.rotate()
        await audit?.record(.keysRotated, actor: actor.auditName, subject: nil, detail: AuditEvent.changes(["kids": ([], keys.map(\.kid))]))
        return keys
    }
}
