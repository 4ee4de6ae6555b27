import SesameLDAP

/// Bytes from a hex string (test vectors are pasted as hex).
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8).filter { $0 != 0x20 && $0 != 0x0a }
    precondition(digits.count % 2 == 0, "odd hex")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
}

func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// Decodes, expecting success, and re-encodes.
func roundTrip(_ message: LDAPMessage) throws -> LDAPMessage {
    try LDAPMessage(decoding: message.encode())
}

/// A small deterministic generator (SplitMix64), so the fuzz-style tests repeat exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// One BER element with a definite length, for hand-made inputs.
func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    let count = content.count
    let length: [UInt8] = count < 0x80 ? [UInt8(count)] : count < 0x100 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xff)]
    return [tag] + length + content
}

/// A search request message (ID 1, base "", base scope) around the given filter element.
func searchMessage(filter: [UInt8], typesOnly: UInt8 = 0x00) -> [UInt8] {
    let request = hex("0400 0a0100 0a0100 020100 020100") + [0x01, 0x01, typesOnly] + filter + hex("3000")
    return tlv(0x30, hex("020101") + tlv(0x63, request))
}
