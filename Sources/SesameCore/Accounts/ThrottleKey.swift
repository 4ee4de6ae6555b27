import Crypto

/// The names of throttle counts. Each is bounded: what a stranger typed is stored only as a
/// digest, so a 60 KB username does not become a 60 KB row.
public enum ThrottleKey {
    public static func account(_ userID: String) -> String { "account:\(bounded(userID))" }

    /// Wrong second-step codes count here, apart from passwords: a right password does not
    /// reset this count.
    public static func secondFactor(_ userID: String) -> String { "second-factor:\(bounded(userID))" }

    /// A login that names no account, lower-cased so that case does not make a new count.
    public static func login(_ typed: String) -> String { "login:\(digest(typed.lowercased()))" }

    public static func address(_ address: String) -> String { "address:\(bounded(address))" }

    /// Short printable ASCII as it is (readable in the table); anything else as its digest.
    static func bounded(_ value: String) -> String {
        let bytes = Array(value.utf8)
        if bytes.count <= 64, bytes.allSatisfy({ (0x21...0x7e).contains($0) }) { return value }
        return "#" + digest(value)
    }

    static func digest(_ value: String) -> String {
        SHA256.hash(data: Array(value.utf8)).hexString
    }
}
