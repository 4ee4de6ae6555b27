import Foundation

/// Checks for a new CAS service, shared by the CLI and the admin API. Errors are `ClientError`s
/// with a message for the operator.
public enum CASServiceRules {
    public static func make(
        name: String, pattern: String, attributes: [String], proxyCallbackPattern: String? = nil, logoutURL: String? = nil,
        requireTwoFactor: Bool = false, requiredRoles: [String] = [], requiredGroups: [String] = [],
        random: any RandomSource = SystemRandom(), now: Date = Date()
    ) throws -> CASService {
        guard (1...100).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw ClientError("'\(name)' is not a valid name: use letters, digits, '.', '_' or '-'")
        }
        if pattern.hasPrefix("^") {
            guard pattern.count <= 1000, (try? NSRegularExpression(pattern: pattern)) != nil else {
                throw ClientError("'\(pattern)' is not a valid regular expression")
            }
        } else {
            guard pattern.count <= 1000, let url = URLComponents(string: pattern), ["https", "http"].contains(url.scheme ?? ""), url.host?.isEmpty == false else {
                throw ClientError("a prefix pattern must be an absolute http(s) URL such as https://app.example.com/ (or start with ^ for a regular expression)")
            }
        }
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
        return service
    }
}
