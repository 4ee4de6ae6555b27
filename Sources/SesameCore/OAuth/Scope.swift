/// Scopes as a space-separated, ordered, duplicate-free list (RFC 6749 §3.3).
public struct Scope: Sendable, Equatable, CustomStringConvertible {
    public private(set) var values: [String]

    public init(_ text: String?) {
        var seen = Set<String>()
        values = (text ?? "").split(separator: " ").map(String.init).filter { seen.insert($0).inserted }
    }

    public init(values: [String]) {
        self.init(values.joined(separator: " "))
    }

    public var description: String { values.joined(separator: " ") }
    public var isEmpty: Bool { values.isEmpty }
    public func contains(_ scope: String) -> Bool { values.contains(scope) }
    public func isSubset(of allowed: [String]) -> Bool { values.allSatisfy(allowed.contains) }

    /// The scopes Sesame knows; a client may be given any of them.
    public static var supported: [String] { ScopeCatalogue.names }
    public static let validCharacters = Set("!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~")

    public var isWellFormed: Bool {
        values.allSatisfy { !$0.isEmpty && $0.allSatisfy(Self.validCharacters.contains) }
    }
}
