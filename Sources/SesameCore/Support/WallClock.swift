import Foundation

/// The source of "now" for every rule that depends on time, so that expiry and lockout can be
/// tested at exact instants instead of by sleeping.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The real clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
