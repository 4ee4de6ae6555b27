/// A token-endpoint request as the HTTP layer hands it over.
public struct TokenRequest: Sendable {
    public var parameters: [String: String]
    public var credentials: ClientCredentials
    public var clientAddress: String?

    public init(parameters: [String: String], credentials: ClientCredentials, clientAddress: String?) {
        self.parameters = parameters
        self.credentials = credentials
        self.clientAddress = clientAddress
    }

    public subscript(name: String) -> String? {
        parameters[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// What a client presented to prove who it is.
public struct ClientCredentials: Sendable {
    /// From `Authorization: Basic`, already URL-decoded (RFC 6749 §2.3.1).
    public var basic: (id: String, secret: String)?
    public var formClientID: String?
    public var formClientSecret: String?
    public var assertionType: String?
    public var assertion: String?

    /// The client id the request names, however it names it (not yet authenticated).
    public var claimedID: String? { basic?.id ?? formClientID }

    public init(basic: (id: String, secret: String)? = nil, parameters: [String: String]) {
        self.basic = basic
        formClientID = parameters["client_id"].flatMap { $0.isEmpty ? nil : $0 }
        formClientSecret = parameters["client_secret"].flatMap { $0.isEmpty ? nil : $0 }
        assertionType = parameters["client_assertion_type"]
        assertion = parameters["client_assertion"]
    }
}
