import Foundation

/// An Active Directory entry's own account state, read in the sign-in search: what the DC may
/// not say in a bind (Samba and older DCs do not always), checked once the password is proven.
struct DirectoryAccountState {
    static let attributes = ["userAccountControl", "accountExpires", "pwdLastSet", "lockoutTime"]
    /// userAccountControl's ACCOUNTDISABLE.
    static let accountDisable: Int64 = 0x2
    /// FILETIME's 100 ns ticks from 1601 to 1970.
    static let fileTimeEpochOffset: Int64 = 116_444_736_000_000_000

    let entry: DirectoryEntry

    /// After a successful bind: a lock the DC no longer enforces is over, so `lockoutTime` is not read here.
    func refusalAfterBind(now: Date) -> DirectoryRefusal? {
        if let flags = integer("userAccountControl"), flags & Self.accountDisable != 0 { return .disabled }
        if let expires = integer("accountExpires"), let date = Self.date(fileTime: expires), date <= now { return .accountExpired }
        if integer("pwdLastSet") == 0 { return .mustChangePassword }
        return nil
    }

    /// After a refused bind that said nothing more: a locked entry is refused for that, as AD's
    /// own 775 tells anyone who tries; everything else stays a wrong password.
    func refusalOfSilentBind() -> DirectoryRefusal? {
        if let time = integer("lockoutTime"), time > 0 { return .locked }
        return nil
    }

    /// 0 and 0x7FFFFFFFFFFFFFFF mean "never".
    static func date(fileTime: Int64) -> Date? {
        guard fileTime > 0, fileTime != Int64.max else { return nil }
        return Date(timeIntervalSince1970: Double(fileTime - fileTimeEpochOffset) / 10_000_000)
    }

    private func integer(_ attribute: String) -> Int64? {
        guard let text = entry.string(attribute), text.utf8.count <= 20 else { return nil }
        return Int64(text)
    }
}
