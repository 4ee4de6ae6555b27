import Foundation

/// A wall-clock time, written `"18:00"` or `TimeOfDay(hour: 18, minute: 0)`.
public struct TimeOfDay: Sendable, Equatable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Minutes since midnight, 0..<1440.
    public let minutes: Int

    public init(hour: Int, minute: Int = 0) {
        precondition((0..<24).contains(hour) && (0..<60).contains(minute), "a time of day is 00:00 to 23:59")
        minutes = hour * 60 + minute
    }

    /// `"HH:MM"`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        minutes = hour * 60 + minute
    }

    public init(stringLiteral value: String) {
        guard let parsed = TimeOfDay(parsing: value) else { preconditionFailure("'\(value)' is not a time of day such as \"18:00\"") }
        self = parsed
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }

    public var description: String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    /// The time of day of `date` in `timeZone`.
    public static func of(_ date: Date, in timeZone: TimeZone) -> TimeOfDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return TimeOfDay(hour: parts.hour ?? 0, minute: parts.minute ?? 0)
    }
}
