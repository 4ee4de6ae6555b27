import Foundation

/// One configuration setting: its command-line flag, environment variable and config-file key,
/// its default and its help text. The flags, the config-file keys, `--help` and the README's
/// table all come from `Setting.all`, so a setting is spelled once.
public struct Setting: Sendable, Hashable {
    /// Which commands take it: every command (where the store is), or `serve` only.
    public enum Scope: Sendable, Hashable { case everyCommand, serve }

    /// The config-file key (when `inConfigFile`), and the name values are resolved under.
    public let key: String
    /// The long flag without `--`; nil for a setting with no flag.
    public let flag: String?
    public let environment: String?
    public let inConfigFile: Bool
    /// Given several times on the command line, comma-separated in the environment, a YAML list in the file.
    public let isList: Bool
    /// The value used when nothing gives one; nil leaves the setting unset.
    public let defaultValue: String?
    /// The default as the README and `--help` say it.
    public let defaultText: String
    public let summary: String
    public let scope: Scope

    init(
        _ key: String, flag: String? = nil, noFlag: Bool = false, environment: String?, inConfigFile: Bool = true, isList: Bool = false,
        default defaultValue: String? = nil, shown defaultText: String? = nil, scope: Scope = .serve, _ summary: String
    ) {
        self.key = key
        self.flag = noFlag ? nil : (flag ?? key)
        self.environment = environment
        self.inConfigFile = inConfigFile
        self.isList = isList
        self.defaultValue = defaultValue
        self.defaultText = defaultText ?? defaultValue.map { "`\($0)`" } ?? "none"
        self.summary = summary
        self.scope = scope
    }

    /// The `--help` line: the summary, then where else the value may come from and its default.
    public var help: String {
        var sources: [String] = []
        if let environment { sources.append("env \(environment)\(isList ? ", comma-separated" : "")") }
        if inConfigFile { sources.append("config key \(key)") }
        sources.append("default \(defaultText.replacingOccurrences(of: "`", with: ""))")
        return "\(summary) (\(sources.joined(separator: "; ")))."
    }

    /// The setting's row in the README's table.
    public var readmeRow: String {
        let option = flag.map { "`--\($0)`" + (isList ? " (repeatable)" : "") } ?? ""
        let env = environment.map { "`\($0)`" + (isList ? " (comma-separated)" : "") } ?? ""
        let file = inConfigFile ? "`\(key)`" + (isList ? " (a list)" : "") : ""
        return "| \(option) | \(env) | \(file) | \(defaultText) | \(summary) |"
    }

    /// The README's settings table, header included.
    public static var readmeTable: String {
        (["| option | environment | config key | default | meaning |", "|---|---|---|---|---|"] + all.map(\.readmeRow)).joined(separator: "\n")
    }

    /// The keys a config file may hold.
    public static var configKeys: Set<String> { Set(all.filter(\.inConfigFile).map(\.key)) }
}
