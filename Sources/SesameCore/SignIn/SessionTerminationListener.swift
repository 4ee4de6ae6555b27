import Foundation

/// A session that has just ended, as its listeners see it: read before the store forgot it.
public struct EndedSession: Sendable, Equatable {
    public let record: SessionRecord
    /// The OAuth clients this session signed in to (issue 13's per-session tracking): only they are told.
    public let clientIDs: Set<String>

    public var sid: String { record.sid }
    public var userID: String { record.userID }

    public init(record: SessionRecord, clientIDs: Set<String>) {
        self.record = record
        self.clientIDs = clientIDs
    }
}

/// Something that must hear when a session ends: CAS single log-out, OpenID Connect front-channel
/// and back-channel logout. A new kind of logout is one more listener given to `SessionTermination`.
public protocol SessionTerminationListener: Sendable {
    /// URLs the person's browser should load in hidden frames (front-channel logout), asked only
    /// when the session ends in a browser. Most listeners have none.
    func frontChannelFrames(for session: EndedSession) async -> [String]
    /// Told once per ended session, off the request's path: network messages go here. Must not
    /// throw; failures are the listener's to log or audit.
    func sessionEnded(_ session: EndedSession) async
}

extension SessionTerminationListener {
    public func frontChannelFrames(for session: EndedSession) async -> [String] { [] }
    public func sessionEnded(_ session: EndedSession) async {}
}
