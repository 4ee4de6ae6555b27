/// The placeholders and values of an `IN (...)` list. A list shorter than `paddedUpTo` is padded
/// to a power of two by repeating its last value (the same set), so a connection that keeps every
/// distinct statement prepared keeps a few variants of a query, not one per list length.
struct SQLInList {
    static let paddedUpTo = 64
    let placeholders: String
    let values: [SQLValue]

    init(_ values: [SQLValue]) {
        var padded = values
        if let last = values.last, values.count < Self.paddedUpTo {
            var size = 1
            while size < values.count { size *= 2 }
            padded += Array(repeating: last, count: size - values.count)
        }
        self.values = padded
        self.placeholders = Array(repeating: "?", count: padded.count).joined(separator: ",")
    }
}
