import Foundation

/// Decoding for the base64 variants that password hash formats use: standard, unpadded, and
/// passlib's "adapted" alphabet with '.' in place of '+'.
enum AdaptedBase64 {
    static func decode(_ text: String) -> [UInt8]? {
        guard !text.contains("=") || text.hasSuffix("=") else { return nil }
        var base64 = text.replacingOccurrences(of: ".", with: "+").replacingOccurrences(of: "=", with: "")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: ".").replacingOccurrences(of: "=", with: "")
    }
}
