import SesameCore

/// `application/x-www-form-urlencoded` decoding on bytes: `+` is a space and `%XX` a byte, and
/// the result must be UTF-8. Foundation's `removingPercentEncoding` after replacing `+` did the
/// same through `NSString` and cost a tenth of an introspection request.
enum FormURLDecoding {
    /// Nil for a `%` not followed by two hexadecimal digits, or bytes that are not UTF-8.
    static func decode(_ bytes: some Collection<UInt8>) -> String? {
        // Nothing to decode in most names and values: validate them as they are.
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return String(validating: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            bytes.formIndex(after: &index)
            switch byte {
            case UInt8(ascii: "+"):
                output.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard index != bytes.endIndex, let high = bytes[index].hexDigitValue else { return nil }
                bytes.formIndex(after: &index)
                guard index != bytes.endIndex, let low = bytes[index].hexDigitValue else { return nil }
                bytes.formIndex(after: &index)
                output.append(high << 4 | low)
            default:
                output.append(byte)
            }
        }
        return String(validating: output, as: UTF8.self)
    }
}
