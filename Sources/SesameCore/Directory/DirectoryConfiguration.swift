/// One directory that people sign in with. The profile's defaults fill every setting left nil, so
/// changing the profile changes what was never set by hand.
///
/// Codable for storage as JSON, WITHOUT the bind password: it is never encoded (decoding leaves it
/// empty), so the store seals it apart with the data key and no JSON copy can leak it.
public struct DirectoryConfiguration: Sendable, Equatable {
    /// The client-id rule: 1-100 ASCII letters, digits, '.', '_' or '-'. Names the authenticator `directory:NAME`.
    public var name: String
    /// Tried in order: `ldap://host[:port]` or `ldaps://host[:port]`.
    public var urls: [String]
    /// The service account that searches.
    public var bindDN: String
    /// Plain in memory only.
    public var bindPassword: String
    public var baseDN: String
    public var profile: DirectoryProfile

    /// With `{login}`; nil: the profile's objects narrowed by `loginAttributes`.
    public var userFilter: String?
    /// Every person, for a sync; nil: the profile's object filter.
    public var listFilter: String?
    public var loginAttributes: [String]?
    public var attributeMap: DirectoryAttributeMap?
    public var groups: DirectoryGroupSettings?
    public var groupRules: [DirectoryGroupRule]

    /// StartTLS on an `ldap://` URL (`ldaps://` is TLS from the start).
    public var startTLS: Bool
    /// PEM file of the CA certificates to trust; nil: the system's.
    public var caFile: String?
    /// Certificate and host-name checks; off only for tests.
    public var verifyCertificates: Bool
    /// Seconds.
    public var connectTimeout: Double
    /// Seconds.
    public var operationTimeout: Double
    /// Service-account connections kept per directory.
    public var poolSize: Int
    /// Where `directories` in the `authenticators` setting puts it: lower first, then by name.
    public var position: Int
    /// A disabled directory is not asked at sign-in (`directories` skips it) and not synced.
    public var enabled: Bool

    public init(
        name: String, urls: [String], bindDN: String, bindPassword: String, baseDN: String, profile: DirectoryProfile,
        userFilter: String? = nil, listFilter: String? = nil, loginAttributes: [String]? = nil, attributeMap: DirectoryAttributeMap? = nil,
        groups: DirectoryGroupSettings? = nil, groupRules: [DirectoryGroupRule] = [], startTLS: Bool = false, caFile: String? = nil,
        verifyCertificates: Bool = true, connectTimeout: Double = 5, operationTimeout: Double = 10, poolSize: Int = 4,
        position: Int = 0, enabled: Bool = true
    ) {
        self.name = name
        self.urls = urls
        self.bindDN = bindDN
        self.bindPassword = bindPassword
        self.baseDN = baseDN
        self.profile = profile
        self.userFilter = userFilter
        self.listFilter = listFilter
        self.loginAttributes = loginAttributes
        self.attributeMap = attributeMap
        self.groups = groups
        self.groupRules = groupRules
        self.startTLS = startTLS
        self.caFile = caFile
        self.verifyCertificates = verifyCertificates
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.poolSize = poolSize
        self.position = position
        self.enabled = enabled
    }

    /// The authenticator's name in the `authenticators` setting and in audit events.
    public var authenticatorName: String { DirectoryAuthenticator.prefix + name }

    // What is in force: the override, else the profile's default.
    public var effectiveLoginAttributes: [String] { loginAttributes ?? profile.loginAttributes }
    public var effectiveUserFilter: String {
        userFilter ?? DirectoryProfile.userFilter(objects: profile.objectFilter, loginAttributes: effectiveLoginAttributes)
    }
    public var effectiveListFilter: String { listFilter ?? profile.objectFilter }
    public var effectiveAttributeMap: DirectoryAttributeMap { attributeMap ?? profile.attributeMap }
    public var effectiveGroups: DirectoryGroupSettings { groups ?? profile.groups }

    /// The same configuration without its bind password, for showing.
    public var redacted: DirectoryConfiguration {
        var copy = self
        copy.bindPassword = ""
        return copy
    }
}

extension DirectoryConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case name, urls, bindDN, baseDN, profile, userFilter, listFilter, loginAttributes, attributeMap, groups, groupRules
        case startTLS, caFile, verifyCertificates, connectTimeout, operationTimeout, poolSize, position, enabled
    }

    /// Settings missing from stored JSON take their defaults, so adding one needs no migration.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), urls: try c.decode([String].self, forKey: .urls),
            bindDN: try c.decodeIfPresent(String.self, forKey: .bindDN) ?? "", bindPassword: "",
            baseDN: try c.decode(String.self, forKey: .baseDN), profile: try c.decodeIfPresent(DirectoryProfile.self, forKey: .profile) ?? .generic,
            userFilter: try c.decodeIfPresent(String.self, forKey: .userFilter),
            listFilter: try c.decodeIfPresent(String.self, forKey: .listFilter),
            loginAttributes: try c.decodeIfPresent([String].self, forKey: .loginAttributes),
            attributeMap: try c.decodeIfPresent(DirectoryAttributeMap.self, forKey: .attributeMap),
            groups: try c.decodeIfPresent(DirectoryGroupSettings.self, forKey: .groups),
            groupRules: try c.decodeIfPresent([DirectoryGroupRule].self, forKey: .groupRules) ?? [],
            startTLS: try c.decodeIfPresent(Bool.self, forKey: .startTLS) ?? false,
            caFile: try c.decodeIfPresent(String.self, forKey: .caFile),
            verifyCertificates: try c.decodeIfPresent(Bool.self, forKey: .verifyCertificates) ?? true,
            connectTimeout: try c.decodeIfPresent(Double.self, forKey: .connectTimeout) ?? 5,
            operationTimeout: try c.decodeIfPresent(Double.self, forKey: .operationTimeout) ?? 10,
            poolSize: try c.decodeIfPresent(Int.self, forKey: .poolSize) ?? 4,
            position: try c.decodeIfPresent(Int.self, forKey: .position) ?? 0,
            enabled: try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(urls, forKey: .urls)
        try c.encode(bindDN, forKey: .bindDN)
        try c.encode(baseDN, forKey: .baseDN)
        try c.encode(profile, forKey: .profile)
        try c.encodeIfPresent(userFilter, forKey: .userFilter)
        try c.encodeIfPresent(listFilter, forKey: .listFilter)
        try c.encodeIfPresent(loginAttributes, forKey: .loginAttributes)
        try c.encodeIfPresent(attributeMap, forKey: .attributeMap)
        try c.encodeIfPresent(groups, forKey: .groups)
        try c.encode(groupRules, forKey: .groupRules)
        try c.encode(startTLS, forKey: .startTLS)
        try c.encodeIfPresent(caFile, forKey: .caFile)
        try c.encode(verifyCertificates, forKey: .verifyCertificates)
        try c.encode(connectTimeout, forKey: .connectTimeout)
        try c.encode(operationTimeout, forKey: .operationTimeout)
        try c.encode(poolSize, forKey: .poolSize)
        try c.encode(position, forKey: .position)
        try c.encode(enabled, forKey: .enabled)
    }
}

extension DirectoryConfiguration {
    /// Runs a gateway call: any error from it is a directory that could not answer (the person did
    /// nothing wrong), so it becomes `SignInError.directoryUnavailable`; cancellation stays cancellation.
    func reach<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw SignInError.directoryUnavailable(name)
        }
    }
}
