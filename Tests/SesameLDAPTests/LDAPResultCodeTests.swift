import SesameLDAP
import Testing

@Test func resultCodesKeepNumbersTheListDoesNotName() {
    #expect(LDAPResultCode(rawValue: 49) == .invalidCredentials)
    #expect(LDAPResultCode(rawValue: 4096).rawValue == 4096)
}
