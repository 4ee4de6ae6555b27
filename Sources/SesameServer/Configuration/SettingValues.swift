import Foundation

/// Every setting's text after precedence: command line, then environment, then config file, then
/// the default. Lists come joined by commas, the form the environment variables take.
public struct SettingValues: Sendable, Equatable {
    private var values: [String: String]

    /// - Parameters:
    ///   - flags: values given on the command line, by setting key.
    ///   - file: the config file's values, by key.
    public init(flags: [String: String] = [:], environment: [String: String] = [:], file: [String: String] = [:]) {
        values = [:]
        for setting in Setting.all {
            values[setting.key] = flags[setting.key]
                ?? setting.environment.flatMap { environment[$0] }
                ?? (setting.inConfigFile ? file[setting.key] : nil)
                ?? setting.defaultValue
        }
    }

    public subscript(_ setting: Setting) -> String? {
        get { values[setting.key] }
        set { values[setting.key] = newValue }
    }

    /// A list setting's items; spaces around an item are ignored.
    public func list(_ setting: Setting) -> [String] {
        (self[setting] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
