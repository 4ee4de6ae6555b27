/// Base64 without padding in its URL-safe alphabet (RFC 4648 §5), as JOSE and cookies use it.
/// Written over bytes rather than with Foundation's string replacing, which costs more than the
/// signature check it feeds on Linux.
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let values = decodingTable(alphabet)

    /// Each byte's value in `alphabet`, 0xFF for bytes outside it.
    static func decodingTable(_ alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        let count = (input.count * 4 + 2) / 3
        // Written in place: appending a four-element array per three bytes allocated each time.
        return String(unsafeUninitializedCapacity: count) { output in
            input.withUnsafeBufferPointer { input in
                alphabet.withUnsafeBufferPointer { alphabet in
                    var index = 0
                    var written = 0
                    while index + 3 <= input.count {
                        let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        output[written] = alphabet[Int(chunk >> 18 & 63)]
                        output[written + 1] = alphabet[Int(chunk >> 12 & 63)]
                        output[written + 2] = alphabet[Int(chunk >> 6 & 63)]
                        output[written + 3] = alphabet[Int(chunk & 63)]
                        index += 3
                        written += 4
                    }
                    let rest = input.count - index
                    if rest > 0 {
                        let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
                        output[written] = alphabet[Int(chunk >> 18 & 63)]
                        output[written + 1] = alphabet[Int(chunk >> 12 & 63)]
                        written += 2
                        if rest == 2 {
                            output[written] = alphabet[Int(chunk >> 6 & 63)]
                            written += 1
                        }
                    }
                    return written
                }
            }
        }
    }

    /// Nil for anything that is not base64url (trailing `=` padding is tolerated).
    public static func decode(_ text: String) -> [UInt8]? {
        decode(bytes: text.utf8)
    }

    public static func decode(bytes: some Collection<UInt8>) -> [UInt8]? {
        bytes.withContiguousStorageIfAvailable(decode(buffer:)) ?? Array(bytes).withUnsafeBufferPointer(decode(buffer:))
    }

    /// Four characters at a time into three bytes; a character outside the alphabet has the
    /// table value 0xFF, whose top bit shows through the OR of the four.
    static func decode(buffer: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        decode(buffer: buffer, values: values)
    }

    /// Decodes with the table of another alphabet of the same shape (`StandardBase64`'s).
    static func decode(buffer: UnsafeBufferPointer<UInt8>, values: [UInt8]) -> [UInt8]? {
        var count = buffer.count
        while count > 0, buffer[count - 1] == UInt8(ascii: "=") { count -= 1 }
        guard count % 4 != 1 else { return nil }
        return values.withUnsafeBufferPointer { values in
            var valid = true
            let output = [UInt8](unsafeUninitializedCapacity: count * 3 / 4) { output, initialized in
                var index = 0
                while index + 4 <= count {
                    let a = values[Int(buffer[index])], b = values[Int(buffer[index + 1])]
                    let c = values[Int(buffer[index + 2])], d = values[Int(buffer[index + 3])]
                    guard (a | b | c | d) & 0x80 == 0 else {
                        valid = false
                        return
                    }
                    let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    output[initialized] = UInt8(truncatingIfNeeded: chunk >> 16)
                    output[initialized + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                    output[initialized + 2] = UInt8(truncatingIfNeeded: chunk)
                    initialized += 3
                    index += 4
                }
                guard index < count else { return }
                let a = values[Int(buffer[index])], b = values[Int(buffer[index + 1])]
                let c = index + 2 < count ? values[Int(buffer[index + 2])] : 0
                guard (a | b | c) & 0x80 == 0 else {
                    valid = false
                    return
                }
                let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                output[initialized] = UInt8(truncatingIfNeeded: chunk >> 16)
                initialized += 1
                if index + 2 < count {
                    output[initialized] = UInt8(truncatingIfNeeded: chunk >> 8)
                    initialized += 1
                }
            }
            return valid ? output : nil
        }
    }
}
