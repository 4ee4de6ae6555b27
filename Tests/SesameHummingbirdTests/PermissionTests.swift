import Foundation
import SesameClient
import SesameHummingbird
import Testing

@Suite struct PermissionTests {
    let editor = SesameUser(subject: "u1", username: "ed", roles: ["editor", "staff"], groups: ["docs"], permissions: ["articles:publish"])
    let writer = SesameUser(subject: "u2", username: "wendy", roles: ["writer"], groups: ["docs", "blog"])

    @Test func signedInNeedsSomeone() {
        #expect(Permission.signedIn.allows(writer))
        #expect(!Permission.signedIn.allows(nil))
        #expect(Permission.signedIn.needsUser)
    }

    @Test func userByUsernameOrSubject() {
        let rule = Permission.user(in: ["ed", "u2"])
        #expect(rule.allows(editor) && rule.allows(writer))
        #expect(!rule.allows(SesameUser(subject: "u3", username: "olga")))
        #expect(!rule.allows(nil))
    }

    @Test func roles() {
        #expect(Permission.hasRole("editor").allows(editor))
        #expect(!Permission.hasRole("editor").allows(writer))
        #expect(Permission.hasRole(anyOf: ["admin", "writer"]).allows(writer))
        #expect(!Permission.hasRole(anyOf: ["admin"]).allows(writer))
        #expect(!Permission.hasRole(anyOf: []).allows(writer), "any of nothing is nobody")
        #expect(Permission.hasRole(allOf: ["editor", "staff"]).allows(editor))
        #expect(!Permission.hasRole(allOf: ["editor", "admin"]).allows(editor))
        #expect(!Permission.hasRole("editor").allows(nil))
    }

    @Test func groupsAndPermissions() {
        #expect(Permission.inGroup("blog").allows(writer))
        #expect(!Permission.inGroup("blog").allows(editor))
        #expect(Permission.hasPermission("articles:publish").allows(editor))
        #expect(!Permission.hasPermission("articles:publish").allows(writer))
        #expect(!Permission.inGroup("docs").allows(nil))
    }

    @Test func fromIPv4AndIPv6Blocks() {
        let office = Permission.fromIP(["192.0.2.0/24", "2001:db8::/32"])
        #expect(office.allows(writer, clientAddress: "192.0.2.77"))
        #expect(office.allows(writer, clientAddress: "2001:db8:1::5"))
        #expect(office.allows(writer, clientAddress: "::ffff:192.0.2.1"))
        #expect(!office.allows(writer, clientAddress: "198.51.100.1"))
        #expect(!office.allows(writer, clientAddress: nil), "an unknown address is not inside")
        #expect(office.allows(nil, clientAddress: "192.0.2.1"), "an address rule needs nobody signed in")
        #expect(!office.needsUser)
    }

    @Test func betweenTimesWrapsMidnightInItsTimeZone() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let night = Permission.between(start: "18:00", end: "08:00", timeZone: paris)
        func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
        // 2026-01-15 is winter: Paris is UTC+1.
        #expect(night.allows(writer, now: at("2026-01-15T17:00:00Z")), "18:00 in Paris")
        #expect(night.allows(writer, now: at("2026-01-15T23:30:00Z")))
        #expect(night.allows(writer, now: at("2026-01-16T06:59:00Z")), "07:59 in Paris")
        #expect(!night.allows(writer, now: at("2026-01-16T07:00:00Z")), "08:00 in Paris: the end is excluded")
        #expect(!night.allows(writer, now: at("2026-01-15T12:00:00Z")))
        let office = Permission.between(start: TimeOfDay(hour: 9), end: "17:30", timeZone: paris)
        #expect(office.allows(writer, now: at("2026-01-15T08:00:00Z")) && !office.allows(writer, now: at("2026-01-15T16:30:00Z")))
        #expect(TimeOfDay(parsing: "24:00") == nil && TimeOfDay(parsing: "9:5") == nil && TimeOfDay(parsing: "09:05")?.description == "09:05")
    }

    @Test func combinators() {
        let rule = Permission.allOf(.hasRole("editor"), .fromIP(["10.0.0.0/8"]))
        #expect(rule.allows(editor, clientAddress: "10.1.2.3"))
        #expect(!rule.allows(editor, clientAddress: "192.0.2.1"))
        #expect(!rule.allows(writer, clientAddress: "10.1.2.3"))
        let either = Permission.anyOf(.hasRole("admin"), .inGroup("blog"))
        #expect(either.allows(writer) && !either.allows(editor))
        #expect(Permission.not(.hasRole("writer")).allows(editor) && !Permission.not(.hasRole("writer")).allows(writer))
        #expect(Permission.allOf().allows(nil) && !Permission.anyOf().allows(editor), "all of nothing holds, any of nothing does not")
        let nested = Permission.anyOf(.allOf(.hasRole("editor"), .not(.inGroup("blog"))), .user(in: ["wendy"]))
        #expect(nested.allows(editor) && nested.allows(writer) && !nested.allows(SesameUser(subject: "x", roles: ["editor"], groups: ["blog"])))
    }

    @Test func whetherARefusalMeansSignInFirst() {
        #expect(Permission.allOf(.fromIP(["10.0.0.0/8"]), .hasRole("x")).needsUser)
        #expect(!Permission.anyOf(.fromIP(["10.0.0.0/8"]), .hasRole("x")).needsUser, "the address alone may let someone in")
        #expect(!Permission.not(.fromIP(["10.0.0.0/8"])).needsUser)
    }
}
