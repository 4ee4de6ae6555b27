/// How many rows each multi-row INSERT of a batch takes (the audit log's appends).
public enum MultiRowInserts: Sendable, Equatable {
    /// Up to `limit` rows a statement: the fewest statements, for a driver where each statement is
    /// a round trip and statements of many values are not kept prepared (PostgreSQL).
    case fewestStatements(limit: Int)
    /// Chunks whose sizes are powers of two up to `limit`, largest first: a batch of 75 goes as 64,
    /// 8, 2 and 1 rows. For a driver that keeps every distinct statement prepared (SQLite): with
    /// one statement per batch size, a connection kept up to 100 multi-row INSERTs, about 5 MB
    /// of compiled statements held after a burst of grants; now at most log2(limit) + 1.
    case powersOfTwo(limit: Int)

    /// The rows of each statement for a batch of `count`, in order; they add up to `count`.
    public func chunks(_ count: Int) -> [Int] {
        var sizes: [Int] = []
        var left = count
        switch self {
        case .fewestStatements(let limit):
            let limit = max(1, limit)
            while left > 0 {
                let size = min(left, limit)
                sizes.append(size)
                left -= size
            }
        case .powersOfTwo(let limit):
            var size = 1
            while size * 2 <= max(1, limit) { size *= 2 }
            while left > 0 {
                while size > left { size /= 2 }
                sizes.append(size)
                left -= size
            }
        }
        return sizes
    }
}
