/// A QR code (ISO/IEC 18004) in byte mode at error correction level M, drawn as SVG. Sesame makes
/// its own so the enrolment page needs no outside service or script.
public struct QRCode: Sendable {
    public enum EncodingError: Error { case tooLong(Int) }

    public let size: Int
    public let version: Int
    public let mask: Int
    /// Row-major: `modules[y][x]`, true for dark.
    public let modules: [[Bool]]

    public init(bytes: [UInt8]) throws {
        guard let version = QRVersion.levelM.first(where: { $0.byteCapacity >= bytes.count }) else {
            throw EncodingError.tooLong(bytes.count)
        }
        var grid = QRGrid(version: version)
        grid.drawFunctionPatterns()
        grid.placeData(Self.codewords(bytes, version: version))
        // Each mask is tried on a copy; the one with the lowest penalty wins (§7.8.3).
        var best: (penalty: Int, grid: QRGrid, mask: Int)?
        for mask in 0..<8 {
            var candidate = grid
            candidate.apply(mask: mask)
            candidate.drawFormatBits(mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, candidate, mask) }
        }
        self.size = version.size
        self.version = version.number
        self.mask = best!.mask
        self.modules = best!.grid.modules
    }

    public init(text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    /// Data codewords (mode, count, bytes, terminator, padding), split into blocks, each followed
    /// by its error correction, interleaved.
    static func codewords(_ bytes: [UInt8], version: QRVersion) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(bytes.count, version.countBits)
        for byte in bytes { append(Int(byte), 8) }
        let capacity = version.dataCodewords * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var data = stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { $0 << 1 | (bits[start + $1] ? 1 : 0) }
        }
        var pad: [UInt8] = [0xEC, 0x11]
        while data.count < version.dataCodewords {
            data.append(pad[0])
            pad.swapAt(0, 1)
        }
        var blocks: [[UInt8]] = []
        var offset = 0
        for length in version.blocks {
            blocks.append(Array(data[offset..<offset + length]))
            offset += length
        }
        let ec = blocks.map { ReedSolomon.remainder(of: $0, degree: version.ecCodewordsPerBlock) }
        var result: [UInt8] = []
        for i in 0..<(version.blocks.max() ?? 0) { for block in blocks where i < block.count { result.append(block[i]) } }
        for i in 0..<version.ecCodewordsPerBlock { for block in ec { result.append(block[i]) } }
        return result
    }
}
