import Foundation

/// Every bound and shape a configuration must have before it is stored, so the gateway and the
/// rules only ever see sane values. Lengths are in UTF-8 bytes.
extension DirectoryConfiguration {
    static let maxURLs = 10
    static let maxURLBytes = 512
    static let maxDNBytes = 1024
    static let maxFilterBytes = 2048
    static let maxPasswordBytes = 1024
    static let maxGroupRules = 1000
    static let timeouts = 0.1...300.0
    static let poolSizes = 1...64
    static let positions = -1_000_000...1_000_000

    /// Throws the first problem found, naming its field.
    public func validate() throws(DirectoryConfigurationError) {
        guard ClientManagement.isIdentifier(name) else {
            throw DirectoryConfigurationError("'\(name)' is not a valid directory name: use 1-100 letters, digits, '.', '_' or '-'", field: "name")
        }
        guard (1...Self.maxURLs).contains(urls.count) else { throw DirectoryConfigurationError("give 1 to \(Self.maxURLs) server URLs", field: "urls") }
        for url in urls { try Self.check(url: url, startTLS: startTLS) }
        try Self.check(dn: bindDN, field: "bind_dn")
        guard !bindPassword.isEmpty, bindPassword.utf8.count <= Self.maxPasswordBytes else {
            throw DirectoryConfigurationError("the bind password must be 1 to \(Self.maxPasswordBytes) bytes", field: "bind_password")
        }
        try Self.check(dn: baseDN, field: "base_dn")
        guard (1...10).contains(effectiveLoginAttributes.count) else { throw DirectoryConfigurationError("give 1 to 10 login attributes", field: "login_attributes") }
        for attribute in effectiveLoginAttributes { try Self.check(attribute: attribute, field: "login_attributes") }
        try Self.check(filter: effectiveUserFilter, field: "user_filter", needs: "{login}")
        try Self.check(filter: effectiveListFilter, field: "list_filter", needs: nil)
        for attribute in effectiveAttributeMap.attributes { try Self.check(attribute: attribute, field: "attribute_map") }
        try checkGroups()
        if let caFile, caFile.isEmpty || caFile.utf8.count > 4096 || caFile.utf8.contains(0) {
            throw DirectoryConfigurationError("the CA file must be a path of at most 4096 bytes", field: "ca_file")
        }
        for (value, field) in [(connectTimeout, "connect_timeout"), (operationTimeout, "operation_timeout")] where !Self.timeouts.contains(value) {
            throw DirectoryConfigurationError("time-outs are 0.1 to 300 seconds", field: field)
        }
        guard Self.poolSizes.contains(poolSize) else { throw DirectoryConfigurationError("the pool size is 1 to 64 connections", field: "pool_size") }
        guard Self.positions.contains(position) else { throw DirectoryConfigurationError("the position is -1000000 to 1000000", field: "position") }
    }

    private func checkGroups() throws(DirectoryConfigurationError) {
        let groups = effectiveGroups
        if let base = groups.searchBase { try Self.check(dn: base, field: "group_search_base") }
        if let filter = groups.searchFilter { try Self.check(filter: filter, field: "group_filter", needs: "{dn}") }
        if let filter = groups.memberUidFilter { try Self.check(filter: filter, field: "member_uid_filter", needs: "{login}") }
        try Self.check(attribute: groups.nameAttribute, field: "group_name_attribute")
        guard (1...50).contains(groups.maxDepth) else { throw DirectoryConfigurationError("the nesting depth is 1 to 50", field: "group_max_depth") }
        guard groupRules.count <= Self.maxGroupRules else { throw DirectoryConfigurationError("at most \(Self.maxGroupRules) group rules", field: "group_rules") }
        for rule in groupRules {
            guard !rule.match.isEmpty, rule.match.utf8.count <= Self.maxDNBytes, !Self.hasControl(rule.match) else {
                throw DirectoryConfigurationError("a group rule matches a DN or a group name of 1 to \(Self.maxDNBytes) bytes", field: "group_rules")
            }
            guard !rule.groups.isEmpty || !rule.roles.isEmpty else {
                throw DirectoryConfigurationError("the rule for '\(rule.match)' gives no group and no role", field: "group_rules")
            }
            do {
                for group in rule.groups { try RoleName.check(group, what: "group", allowsApp: false) }
                for role in rule.roles { try RoleName.check(role, what: "role") }
            } catch {
                throw DirectoryConfigurationError("the rule for '\(rule.match)': \(error)", field: "group_rules")
            }
        }
    }

    static func check(url: String, startTLS: Bool) throws(DirectoryConfigurationError) {
        guard url.utf8.count <= maxURLBytes, !hasControl(url), let parts = URLComponents(string: url),
            let scheme = parts.scheme?.lowercased(), scheme == "ldap" || scheme == "ldaps",
            let host = parts.host, !host.isEmpty, parts.user == nil, parts.password == nil, parts.query == nil, parts.fragment == nil,
            parts.path.isEmpty || parts.path == "/"
        else {
            throw DirectoryConfigurationError("'\(url.prefix(100))' is not a server URL: use ldaps://host[:port] or ldap://host[:port]", field: "urls")
        }
        if let port = parts.port, !(1...65535).contains(port) {
            throw DirectoryConfigurationError("'\(url.prefix(100))' has no valid port", field: "urls")
        }
        // Users' passwords go to the directory in simple binds: never in clear.
        if scheme == "ldap" && !startTLS {
            throw DirectoryConfigurationError("'\(url.prefix(100))' would send passwords in clear: use ldaps:// or StartTLS", field: "urls")
        }
        if scheme == "ldaps" && startTLS {
            throw DirectoryConfigurationError("StartTLS is for ldap:// URLs; '\(url.prefix(100))' is TLS already", field: "start_tls")
        }
    }

    static func check(dn: String, field: String) throws(DirectoryConfigurationError) {
        guard !dn.isEmpty, dn.utf8.count <= maxDNBytes, dn.utf8.contains(UInt8(ascii: "=")), !hasControl(dn) else {
            throw DirectoryConfigurationError("\(field.replacingOccurrences(of: "_", with: " ")) must be a DN (like dc=example,dc=com) of at most \(maxDNBytes) bytes", field: field)
        }
    }

    /// Parenthesised and balanced; the placeholder it needs is there, and no other is.
    static func check(filter: String, field: String, needs placeholder: String?) throws(DirectoryConfigurationError) {
        let bytes = Array(filter.utf8)
        var depth = 0
        var balanced = bytes.first == UInt8(ascii: "(") && bytes.last == UInt8(ascii: ")")
        for (index, byte) in bytes.enumerated() where balanced {
            if byte == UInt8(ascii: "(") { depth += 1 }
            if byte == UInt8(ascii: ")") { depth -= 1 }
            if depth < 0 || (depth == 0 && index != bytes.count - 1) { balanced = false }
        }
        guard bytes.count <= maxFilterBytes, balanced, depth == 0, !hasControl(filter) else {
            throw DirectoryConfigurationError("\(field.replacingOccurrences(of: "_", with: " ")) must be one parenthesised LDAP filter of at most \(maxFilterBytes) bytes", field: field)
        }
        if let placeholder, !filter.contains(placeholder) {
            throw DirectoryConfigurationError("\(field.replacingOccurrences(of: "_", with: " ")) must contain \(placeholder)", field: field)
        }
        for other in ["{login}", "{dn}"] where other != placeholder && filter.contains(other) {
            throw DirectoryConfigurationError("\(field.replacingOccurrences(of: "_", with: " ")) cannot use \(other) here", field: field)
        }
    }

    /// RFC 4512: a descriptor (letter, then letters, digits, '-') or a numeric OID; at most 64 bytes.
    static func check(attribute: String, field: String) throws(DirectoryConfigurationError) {
        let bytes = Array(attribute.utf8)
        let isLetter = { (b: UInt8) in (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b | 0x20) }
        let isDigit = { (b: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }
        let descriptor = bytes.first.map(isLetter) == true && bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
        let oid = !bytes.isEmpty && bytes.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") } && bytes.first != UInt8(ascii: ".") && bytes.last != UInt8(ascii: ".")
        guard (1...64).contains(bytes.count), descriptor || oid else {
            throw DirectoryConfigurationError("'\(attribute.prefix(64))' is not an attribute name", field: field)
        }
    }

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
