/// Error correction level M layout for QR versions 1-15 (ISO/IEC 18004 table 9): enough for
/// otpauth URIs of about 400 bytes.
struct QRVersion {
    let number: Int
    let ecCodewordsPerBlock: Int
    /// Data codewords of each block, first group then second.
    let blocks: [Int]
    let alignmentCenters: [Int]

    var size: Int { number * 4 + 17 }
    var dataCodewords: Int { blocks.reduce(0, +) }
    /// Bits of the byte-mode character count.
    var countBits: Int { number < 10 ? 8 : 16 }
    /// Bytes that fit in byte mode after the 4-bit mode and the count.
    var byteCapacity: Int { (dataCodewords * 8 - 4 - countBits) / 8 }

    static let levelM: [QRVersion] = {
        func v(_ n: Int, _ ec: Int, _ g1: (Int, Int), _ g2: (Int, Int) = (0, 0), align: [Int]) -> QRVersion {
            QRVersion(number: n, ecCodewordsPerBlock: ec,
                      blocks: Array(repeating: g1.1, count: g1.0) + Array(repeating: g2.1, count: g2.0), alignmentCenters: align)
        }
        return [
            v(1, 10, (1, 16), align: []), v(2, 16, (1, 28), align: [6, 18]), v(3, 26, (1, 44), align: [6, 22]),
            v(4, 18, (2, 32), align: [6, 26]), v(5, 24, (2, 43), align: [6, 30]), v(6, 16, (4, 27), align: [6, 34]),
            v(7, 18, (4, 31), align: [6, 22, 38]), v(8, 22, (2, 38), (2, 39), align: [6, 24, 42]),
            v(9, 22, (3, 36), (2, 37), align: [6, 26, 46]), v(10, 26, (4, 43), (1, 44), align: [6, 28, 50]),
            v(11, 30, (1, 50), (4, 51), align: [6, 30, 54]), v(12, 22, (6, 36), (2, 37), align: [6, 32, 58]),
            v(13, 22, (8, 37), (1, 38), align: [6, 34, 62]), v(14, 24, (4, 40), (5, 41), align: [6, 26, 46, 66]),
            v(15, 24, (5, 41), (5, 42), align: [6, 26, 48, 70]),
        ]
    }()
}
