import Foundation

/// Checks for a new CAS service, shared by the CLI and the admin API. Errors are `ClientError`s
/// with a message for the operator.
public enum CASServiceRules {
    public static func make(
        name: String, pattern: String, attributes: [String], proxyCallbackPattern: String? = nil, logoutURL: String? = nil,
        requireTwoFactor: Bool = false, requiredRoles: [String] = [], requiredGroups: [String] = [], allowedProxies: [String] = [],
        random: any RandomSource = SystemRandom(), now: Date = Date()
    ) throws -> CASService {
        try checkName(name)
        try checkPattern(pattern)
        if let proxyCallbackPattern { try checkPattern(proxyCallbackPattern) }
        if let logoutURL, CASServiceURL(logoutURL) == nil {
            throw ClientError("the logout URL must be an absolute http(s) URL without user info")
        }
        let allowedProxies = try proxyNames(allowedProxies)
        for attribute in attributes where !CASService.knownAttributes.contains(attribute) {
            throw ClientError("unknown attribute '\(attribute)'; use \(CASService.knownAttributes.joined(separator: ", "))")
        }
        do {
            for role in requiredRoles { try RoleName.check(role, what: "role") }
            for group in requiredGroups { try RoleName.check(group, what: "group", allowsApp: false) }
        } catch let error as AccessError {
            throw ClientError(error.description)
        }
        var service = CASService(
            id: random.token(byteCount: 12), name: name, pattern: pattern, attributes: attributes, proxyCallbackPattern: proxyCallbackPattern,
            logoutURL: logoutURL, requireTwoFactor: requireTwoFactor, createdAt: now
        )
        service.requiredRoles = requiredRoles.map { $0.lowercased() }
        service.requiredGroups = requiredGroups.map { $0.lowercased() }
        service.allowedProxies = allowedProxies
        return service
    }

    /// The services allowed to proxy to one: checked as names, lowercased, each once.
    public static func proxyNames(_ names: [String]) throws -> [String] {
        for name in names { try checkName(name) }
        return Array(Set(names.map { $0.lowercased() })).sorted()
    }

    static func checkName(_ name: String) throws {
        guard (1...100).contains(name.utf8.count), name.utf8.allSatisfy({
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || "._-".utf8.contains($0)
        }) else {
            throw ClientError("'\(name)' is not a valid name: use letters, digits, '.', '_' or '-'")
        }
    }

    /// A service or proxy callback pattern: a regular expression, or a URL that `CASServiceURL` takes.
    static func checkPattern(_ pattern: String) throws {
        if pattern.hasPrefix("^") {
            guard pattern.utf8.count <= 1000, (try? NSRegularExpression(pattern: pattern)) != nil else {
                throw ClientError("'\(pattern)' is not a valid regular expression")
            }
        } else {
            guard pattern.utf8.count <= 1000, CASServiceURL(pattern) != nil else {
                throw ClientError("a prefix pattern must be an absolute http(s) URL without user info, such as https://app.example.com/ (or start with ^ for a regular expression)")
            }
        }
    }
}
