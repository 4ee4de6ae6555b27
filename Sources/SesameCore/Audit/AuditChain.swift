import Crypto
import Foundation

/// An audit event as stored: its place in the chain and the hashes that tie it to the one before.
public struct ChainedAuditEvent: Sendable, Equatable {
    public var id: Int
    public var event: AuditEvent
    public var previousHash: String
    public var hash: String

    public init(id: Int, event: AuditEvent, previousHash: String, hash: String) {
        self.id = id
        self.event = event
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// Where the chain begins once older events were pruned: the first kept event's predecessor hash,
/// recorded at the cut so the rest still verifies.
public struct AuditChainAnchor: Sendable, Equatable {
    public var firstEventID: Int
    public var previousHash: String
    public var prunedAt: Date

    public init(firstEventID: Int, previousHash: String, prunedAt: Date) {
        self.firstEventID = firstEventID
        self.previousHash = previousHash
        self.prunedAt = prunedAt
    }
}

/// The audit log is a hash chain: each event's hash covers its own fields and the hash of the
/// event before it, so editing, removing or reordering a stored event breaks every link after it.
public enum AuditChain {
    /// The "previous hash" of the very first event.
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(of event: AuditEvent, previous: String) -> String {
        // Each field is length-prefixed and a missing one is "-", so no two events encode alike.
        func field(_ text: String?) -> String { text.map { "\($0.utf8.count):\($0)" } ?? "-" }
        let encoded = [
            previous, field(event.type), String(event.at.timeIntervalSince1970.bitPattern, radix: 16), field(event.actor),
            field(event.subject), field(event.clientID), field(event.clientAddress), field(event.detail),
        ].joined(separator: "|")
        return SHA256.hash(data: Array(encoded.utf8)).hexString
    }

    /// Links `events` after `previous`, returning each with its hashes.
    public static func link(_ events: [AuditEvent], after previous: String) -> [(event: AuditEvent, previousHash: String, hash: String)] {
        var last = previous
        return events.map { event in
            let hash = hash(of: event, previous: last)
            defer { last = hash }
            return (event, last, hash)
        }
    }
}

/// What checking the chain found.
public enum AuditChainCheck: Sendable, Equatable {
    case intact(events: Int)
    /// The first event whose link does not hold, and why.
    case broken(eventID: Int, reason: String)
}

/// Reads the whole chain from the store, page by page, and checks every link.
public struct AuditChainVerifier: Sendable {
    let store: any AuditStore
    let pageSize: Int

    public init(store: any AuditStore, pageSize: Int = 1000) {
        self.store = store
        self.pageSize = pageSize
    }

    public func verify() async throws -> AuditChainCheck {
        let anchor = try await store.auditChainAnchor()
        var expectedPrevious = anchor?.previousHash ?? AuditChain.genesis
        var lastID = 0
        var count = 0
        while true {
            let page = try await store.auditChain(afterID: lastID, limit: pageSize)
            for stored in page {
                if count == 0, let anchor, stored.id != anchor.firstEventID {
                    return .broken(eventID: stored.id, reason: "the chain should start at event \(anchor.firstEventID), where it was pruned")
                }
                guard stored.previousHash == expectedPrevious else {
                    let after = lastID == 0 ? "the start of the chain" : "event \(lastID)"
                    return .broken(eventID: stored.id, reason: "it does not follow \(after): an event before it was removed, added or changed")
                }
                guard AuditChain.hash(of: stored.event, previous: stored.previousHash) == stored.hash else {
                    return .broken(eventID: stored.id, reason: "its contents do not match its hash: the event was changed")
                }
                expectedPrevious = stored.hash
                lastID = stored.id
                count += 1
            }
            if page.count < pageSize { return .intact(events: count) }
        }
    }
}
