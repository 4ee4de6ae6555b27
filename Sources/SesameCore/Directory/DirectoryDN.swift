/// Just enough of RFC 4514 to compare DNs and name groups: the rules never build a DN, they
/// only compare the ones the directory returned.
enum DirectoryDN {
    /// Lower-cased ASCII, spaces around separators dropped, escapes kept: `CN=Staff, DC=Corp` and
    /// `cn=staff,dc=corp` are the same group. Cycle detection and rule matching rely on it.
    static func normalized(_ dn: String) -> String {
        rdns(dn).map { rdn in
            rdn.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { trim(String($0)) }.joined(separator: "=")
        }.joined(separator: ",").lowercased()
    }

    /// The value of the first RDN when its type is `attribute` (`CN=Sales\, EMEA,...` → `Sales, EMEA`).
    static func firstValue(_ dn: String, attribute: String) -> String? {
        guard let first = rdns(dn).first else { return nil }
        let parts = first.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, trim(String(parts[0])).lowercased() == attribute.lowercased() else { return nil }
        return unescape(trim(String(parts[1])))
    }

    /// Split on commas that are not escaped, on Unicode scalars.
    static func rdns(_ dn: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var escaped = false
        for scalar in dn.unicodeScalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                current.append(scalar)
                escaped = true
            } else if scalar == "," {
                out.append(trim(String(current)))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        out.append(trim(String(current)))
        return out.filter { !$0.isEmpty }
    }

    private static func trim(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while scalars.first == " " { scalars = scalars.dropFirst() }
        // A trailing escaped space ("\ ") is part of the value.
        while scalars.last == " ", !String(scalars).hasSuffix("\\ ") { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// `\,` → `,` and `\2C` → `,` (hex pairs as UTF-8 bytes).
    private static func unescape(_ value: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(value.utf8)
        var i = 0
        while i < input.count {
            if input[i] == UInt8(ascii: "\\"), i + 1 < input.count {
                if i + 2 < input.count, let high = input[i + 1].hexDigitValue, let low = input[i + 2].hexDigitValue {
                    bytes.append(high << 4 | low)
                    i += 3
                } else {
                    bytes.append(input[i + 1])
                    i += 2
                }
            } else {
                bytes.append(input[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
