/// The protocolOp of an LDAPMessage (RFC 4511 §4.2–4.12): the operations this client sends and
/// the answers it reads. Everything else decodes as `.other`, so a server's unexpected answer is
/// never a decoding failure.
public enum LDAPOperation: Sendable, Equatable {
    case bindRequest(LDAPBindRequest)
    case bindResponse(LDAPResult, serverSaslCreds: [UInt8]? = nil)
    case unbindRequest
    case searchRequest(LDAPSearchRequest)
    case searchResultEntry(LDAPSearchEntry)
    case searchResultReference([String])
    case searchResultDone(LDAPResult)
    case modifyRequest(dn: String, changes: [LDAPModification])
    case modifyResponse(LDAPResult)
    /// An extended operation: its OID (see `LDAPOID`) and value.
    case extendedRequest(name: String, value: [UInt8]? = nil)
    case extendedResponse(LDAPResult, name: String? = nil, value: [UInt8]? = nil)
    case abandonRequest(messageID: Int32)
    /// Any other protocolOp, [APPLICATION `tag`], kept as its whole encoded element.
    case other(tag: UInt, bytes: [UInt8])

    /// The [APPLICATION n] number of this operation.
    public var tag: UInt {
        switch self {
        case .bindRequest: 0
        case .bindResponse: 1
        case .unbindRequest: 2
        case .searchRequest: 3
        case .searchResultEntry: 4
        case .searchResultDone: 5
        case .modifyRequest: 6
        case .modifyResponse: 7
        case .abandonRequest: 16
        case .searchResultReference: 19
        case .extendedRequest: 23
        case .extendedResponse: 24
        case .other(let tag, _): tag
        }
    }

    /// The LDAPResult of any response that carries one, including add, delete, modify DN and
    /// compare responses that decode as `.other`.
    public var result: LDAPResult? {
        switch self {
        case .bindResponse(let result, _), .searchResultDone(let result), .modifyResponse(let result): result
        case .extendedResponse(let result, _, _): result
        case .other(let tag, let bytes) where [9, 11, 13, 15].contains(tag):
            try? LDAPOperation.decodeOtherResult(bytes)
        default: nil
        }
    }
}

/// BindRequest: version 3 and a simple (or SASL) authentication.
public struct LDAPBindRequest: Sendable, Equatable, CustomStringConvertible {
    public enum Authentication: Sendable, Equatable {
        case simple(password: [UInt8])
        case sasl(mechanism: String, credentials: [UInt8]?)
    }

    public var version: Int
    public var name: String
    public var authentication: Authentication

    public init(version: Int = 3, name: String, authentication: Authentication) {
        self.version = version
        self.name = name
        self.authentication = authentication
    }

    /// A simple bind with a UTF-8 password.
    public static func simple(name: String, password: String) -> LDAPBindRequest {
        LDAPBindRequest(name: name, authentication: .simple(password: Array(password.utf8)))
    }

    // Never prints the password, so a logged request leaks nothing.
    public var description: String {
        switch authentication {
        case .simple(let password): "bind v\(version) \(name) simple(\(password.isEmpty ? "empty" : "redacted"))"
        case .sasl(let mechanism, _): "bind v\(version) \(name) sasl(\(mechanism))"
        }
    }
}

public enum LDAPSearchScope: Int, Sendable, Equatable {
    case baseObject = 0
    case singleLevel = 1
    case wholeSubtree = 2
}

public enum LDAPDerefAliases: Int, Sendable, Equatable {
    case never = 0
    case inSearching = 1
    case findingBaseObject = 2
    case always = 3
}

public struct LDAPSearchRequest: Sendable, Equatable {
    public var base: String
    public var scope: LDAPSearchScope
    public var derefAliases: LDAPDerefAliases
    /// Most entries to return; 0: no client-side limit.
    public var sizeLimit: Int32
    /// Seconds the server may spend; 0: no client-side limit.
    public var timeLimit: Int32
    public var typesOnly: Bool
    public var filter: LDAPFilter
    /// Attribute descriptions to return; empty: all user attributes.
    public var attributes: [String]

    public init(
        base: String, scope: LDAPSearchScope = .wholeSubtree, derefAliases: LDAPDerefAliases = .never,
        sizeLimit: Int32 = 0, timeLimit: Int32 = 0, typesOnly: Bool = false,
        filter: LDAPFilter, attributes: [String] = []
    ) {
        self.base = base
        self.scope = scope
        self.derefAliases = derefAliases
        self.sizeLimit = sizeLimit
        self.timeLimit = timeLimit
        self.typesOnly = typesOnly
        self.filter = filter
        self.attributes = attributes
    }
}

/// A PartialAttribute: a description and its values as bytes (values may be binary, e.g. objectGUID).
public struct LDAPAttribute: Sendable, Equatable {
    public var type: String
    public var values: [[UInt8]]

    public init(type: String, values: [[UInt8]]) {
        self.type = type
        self.values = values
    }
}

public struct LDAPSearchEntry: Sendable, Equatable {
    public var dn: String
    public var attributes: [LDAPAttribute]

    public init(dn: String, attributes: [LDAPAttribute]) {
        self.dn = dn
        self.attributes = attributes
    }

    /// All values of the attributes named `type`, compared without regard to ASCII case.
    public func values(_ type: String) -> [[UInt8]] {
        attributes.filter { LDAPAttributeName.equal($0.type, type) }.flatMap(\.values)
    }
}

public struct LDAPModification: Sendable, Equatable {
    public enum Operation: Int, Sendable, Equatable {
        case add = 0
        case delete = 1
        case replace = 2
    }

    public var operation: Operation
    public var type: String
    public var values: [[UInt8]]

    public init(_ operation: Operation, type: String, values: [[UInt8]]) {
        self.operation = operation
        self.type = type
        self.values = values
    }
}

/// Attribute descriptions compare without regard to ASCII case (RFC 4512 §2.5); never Unicode folding.
enum LDAPAttributeName {
    static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { asciiLower($0) == asciiLower($1) }
    }

    static func asciiLower(_ byte: UInt8) -> UInt8 { (0x41...0x5a).contains(byte) ? byte | 0x20 : byte }
}
