import Foundation

/// Directory configurations for every door (CLI, admin API): each is validated here, shown
/// without its bind password, and each change records one audit event with the same detail
/// whichever door it came through (the password only as "changed", never its value).
public struct DirectoryManagement: Sendable {
    private let store: any DirectoryStore
    /// Where changes are recorded; nil records nothing (tests of the rules alone).
    public var audit: AuditTrail?
    public var actor = ManagementActor.cli

    public init(store: any DirectoryStore) {
        self.store = store
    }

    /// Validates and stores a new directory; returns it without its bind password.
    @discardableResult
    public func add(_ configuration: DirectoryConfiguration) async throws -> DirectoryConfiguration {
        try configuration.validate()
        guard try await store.directory(name: configuration.name) == nil else { throw DirectoryConfigurationError.duplicate(configuration.name) }
        try await store.insert(configuration)
        var changes = Self.fields(of: configuration).mapValues { (before: String?.none, after: Optional($0)) }
        changes["bind_password"] = (nil, "set")
        await record(.directoryCreated, configuration.name, changes)
        return configuration.redacted
    }

    /// Applies `edit` to the stored configuration (an empty bind password keeps the stored one),
    /// validates and stores it. The name cannot change.
    @discardableResult
    public func update(name: String, _ edit: (inout DirectoryConfiguration) throws -> Void) async throws -> DirectoryConfiguration {
        let before = try await stored(name)
        var after = before
        after.bindPassword = ""
        try edit(&after)
        guard after.name == before.name else { throw DirectoryConfigurationError("a directory cannot be renamed; remove it and add it again", field: "name") }
        let passwordChanged = !after.bindPassword.isEmpty && after.bindPassword != before.bindPassword
        if after.bindPassword.isEmpty { after.bindPassword = before.bindPassword }
        try after.validate()
        guard after != before else { return after.redacted }
        try await store.update(after)
        let old = Self.fields(of: before)
        let new = Self.fields(of: after)
        var changes: [String: (before: String?, after: String?)] = [:]
        for key in Set(old.keys).union(new.keys) where old[key] != new[key] { changes[key] = (old[key], new[key]) }
        if passwordChanged { changes["bind_password"] = ("set", "changed") }
        await record(.directoryUpdated, name, changes)
        return after.redacted
    }

    /// Removes the configuration; its users stay (without a way to sign in until a directory of
    /// that name exists again, when their links find them).
    public func remove(name: String) async throws {
        let configuration = try await stored(name)
        guard try await store.deleteDirectory(name: name) else { throw DirectoryConfigurationError.unknown(name) }
        await record(.directoryDeleted, configuration.name, ["name": (configuration.name, nil)])
    }

    /// In sign-in order, without bind passwords.
    public func list() async throws -> [DirectoryConfiguration] {
        try await store.directories().map(\.redacted)
    }

    public func show(name: String) async throws -> DirectoryConfiguration {
        try await stored(name).redacted
    }

    private func stored(_ name: String) async throws -> DirectoryConfiguration {
        guard let configuration = try await store.directory(name: name) else { throw DirectoryConfigurationError.unknown(name) }
        return configuration
    }

    private func record(_ kind: AuditEventKind, _ name: String, _ changes: [String: (before: String?, after: String?)]) async {
        await audit?.record(kind, actor: actor.auditName, subject: "directory:\(name)", detail: AuditEvent.changes(changes))
    }

    /// Each stored setting as compact JSON text, keyed by its snake_case name (as the admin API spells it).
    static func fields(of configuration: DirectoryConfiguration) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(configuration),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return [:] }
        var fields: [String: String] = [:]
        for (key, value) in object {
            if let text = value as? String {
                fields[key] = text
            } else if let encoded = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]) {
                fields[key] = String(decoding: encoded, as: UTF8.self)
            }
        }
        return fields
    }
}
