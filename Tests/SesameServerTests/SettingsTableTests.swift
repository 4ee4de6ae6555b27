import Foundation
import Logging
import SesameCore
import SesameModels
import SesameServer
import Testing

/// The one settings table: precedence, typed values, and the README's copy of it.
@Suite struct SettingsTableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let flags: [String: String]
        let environment: [String: String]
        let file: [String: String]
        let expected: String?
        var testDescription: String { name }
    }

    /// flag > environment > config file > default, for a setting with a default and one without.
    static let precedence: [Case] = [
        Case(name: "default", flags: [:], environment: [:], file: [:], expected: "127.0.0.1:8080"),
        Case(name: "file over default", flags: [:], environment: [:], file: ["listen": "127.0.0.1:3"], expected: "127.0.0.1:3"),
        Case(name: "environment over file", flags: [:], environment: ["SESAME_LISTEN": "127.0.0.1:2"], file: ["listen": "127.0.0.1:3"], expected: "127.0.0.1:2"),
        Case(
            name: "flag over environment", flags: ["listen": "127.0.0.1:1"], environment: ["SESAME_LISTEN": "127.0.0.1:2"],
            file: ["listen": "127.0.0.1:3"], expected: "127.0.0.1:1"),
        Case(name: "flag over file", flags: ["listen": "127.0.0.1:1"], environment: [:], file: ["listen": "127.0.0.1:3"], expected: "127.0.0.1:1"),
    ]

    @Test(arguments: precedence) func precedenceOfSources(_ test: Case) throws {
        let values = SettingValues(flags: test.flags, environment: test.environment, file: test.file)
        #expect(values[.listen] == test.expected)
        let configuration = try SesameConfiguration(values)
        #expect(configuration.port == Int(test.expected!.split(separator: ":").last!))
    }

    @Test func everySettingFollowsThePrecedence() {
        for setting in Setting.all {
            let fromFile = setting.inConfigFile ? SettingValues(file: [setting.key: "file"])[setting] : nil
            if setting.inConfigFile { #expect(fromFile == "file", "\(setting.key)") }
            if let env = setting.environment {
                #expect(SettingValues(environment: [env: "env"], file: [setting.key: "file"])[setting] == "env", "\(setting.key)")
            }
            if setting.flag != nil {
                let environment = setting.environment.map { [$0: "env"] } ?? [:]
                #expect(SettingValues(flags: [setting.key: "flag"], environment: environment, file: [setting.key: "file"])[setting] == "flag", "\(setting.key)")
            }
            #expect(SettingValues()[setting] == setting.defaultValue, "\(setting.key)")
        }
    }

    @Test func aKeyOutsideTheConfigFileIsNotReadFromIt() {
        // --insecure-proxy-callback-for-tests is a flag only, so it cannot be left on unseen in a file.
        #expect(SettingValues(file: ["insecure-proxy-callback-for-tests": "true"])[.insecureProxyCallbackForTests] == nil)
        #expect(!Setting.configKeys.contains("insecure-proxy-callback-for-tests"))
    }

    @Test func namesAreUniqueAndFollowOneSpelling() {
        let keys = Setting.all.map(\.key)
        #expect(Set(keys).count == keys.count)
        let flags = Setting.all.compactMap(\.flag)
        #expect(Set(flags).count == flags.count)
        let environment = Setting.all.compactMap(\.environment)
        #expect(Set(environment).count == environment.count)
        for setting in Setting.all {
            if let env = setting.environment { #expect(env.hasPrefix("SESAME_"), "\(env)") }
            #expect(setting.help.contains(setting.summary))
            if let env = setting.environment { #expect(setting.help.contains(env)) }
        }
    }

    @Test func typedValuesFromTheTable() throws {
        let values = SettingValues(
            flags: ["trusted-proxies": "10.0.0.5, 10.1.0.0/16", "authenticators": "local,test"],
            environment: ["SESAME_SESSION_IDLE_TIMEOUT": "30m", "SESAME_LISTEN": "0.0.0.0:8183"],
            file: ["refresh-grace-period": "10s", "log-level": "debug"]
        )
        let configuration = try SesameConfiguration(values)
        #expect(configuration.sessions.idleTimeout == 1800)
        #expect(configuration.refreshGracePeriod == 10)
        #expect(configuration.trustedProxies == [IPRange("10.0.0.5")!, IPRange("10.1.0.0/16")!])
        #expect(configuration.authenticators == ["local", "test"])
        #expect(configuration.issuer.absoluteString == "http://127.0.0.1:8183")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.accessTokenLifetime == 600)
        #expect(throws: SettingError.self) { try SesameConfiguration(SettingValues(flags: ["tls-cert": "cert.pem"])) }
        #expect(throws: SettingError.self) { try SesameConfiguration(SettingValues(flags: ["session-lifetime": "soon"])) }
    }

    /// The README's table is the table: every setting once, with its flag, variable and key.
    @Test func readmeListsEverySettingAsTheTableDoes() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let expected = Setting.readmeTable
        #expect(text.contains(expected + "\n"), "README.md's settings table should read:\n\(expected)")
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `--") || $0.hasPrefix("|  | `SESAME_") }
        #expect(rows.count == Setting.all.count)
    }
}
