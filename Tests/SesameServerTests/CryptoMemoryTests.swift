import Foundation
import CSesameCryptoMemory
import Crypto
import CryptoExtras
import Testing

/// The block pool behind BoringSSL's allocations (CSesameCryptoMemory): large blocks are reused
/// wiped, two at most are kept, and they are unmapped once idle.
struct CryptoMemoryTests {
    static let hashBlock = 16 << 20

    private func withPool(_ body: (OpaquePointer) throws -> Void) rethrows {
        let pool = sesame_block_pool_create()!
        defer { sesame_block_pool_destroy(pool) }
        try body(pool)
    }

    @Test func aFreedLargeBlockIsWipedKeptAndReused() throws {
        withPool { pool in
            let first = sesame_block_pool_alloc(pool, Self.hashBlock)!
            #expect(sesame_block_pool_size(first) == Self.hashBlock)
            let mapped = sesame_block_pool_mapped_bytes(pool)
            #expect(mapped >= Self.hashBlock && mapped < Self.hashBlock + 8192)
            first.initializeMemory(as: UInt8.self, repeating: 0xA5, count: Self.hashBlock)
            sesame_block_pool_free(pool, first)
            #expect(sesame_block_pool_kept_bytes(pool) == mapped)

            let second = sesame_block_pool_alloc(pool, Self.hashBlock - 4096)!
            #expect(second == first)
            #expect(sesame_block_pool_kept_bytes(pool) == 0)
            #expect(sesame_block_pool_mapped_bytes(pool) == mapped)
            let bytes = UnsafeRawBufferPointer(start: second, count: Self.hashBlock - 4096)
            #expect(bytes.allSatisfy { $0 == 0 })
            sesame_block_pool_free(pool, second)
        }
    }

    /// A large block asks for huge pages: after the first small page (the header and the start of
    /// the block), every whole 2 MiB is aligned for one, and nothing extra is mapped for it.
    @Test func aLargeBlockIsLaidOutForHugePages() throws {
        withPool { pool in
            let block = sesame_block_pool_alloc(pool, Self.hashBlock)!
            defer { sesame_block_pool_free(pool, block) }
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let mappingStart = Int(bitPattern: block) - 16
            #expect((mappingStart + page) % (2 << 20) == 0)
            #expect(sesame_block_pool_mapped_bytes(pool) <= Self.hashBlock + 2 * page)
            // The kernel holds the advice on the mapping ("hg" in its flags), whatever it can give.
            // Read to the end: Foundation's String(contentsOfFile:) stops after the first page of a /proc file.
            let smaps = String(decoding: (try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps")).readToEnd()) ?? Data(), as: UTF8.self)
            var inBlock = false
            var flags: [Substring] = []
            for line in smaps.split(separator: "\n") {
                if let range = line.split(separator: " ").first, range.contains("-"), !line.hasPrefix("VmFlags") {
                    let bounds = range.split(separator: "-").compactMap { Int($0, radix: 16) }
                    inBlock = bounds.count == 2 && bounds[0] <= mappingStart && mappingStart < bounds[1]
                } else if inBlock, line.hasPrefix("VmFlags:") {
                    flags = line.split(separator: " ").dropFirst().map { $0 }
                }
            }
            #expect(flags.contains("hg"))
        }
    }

    @Test func keptBlocksAreUnmappedOnlyOnceIdle() throws {
        withPool { pool in
            sesame_block_pool_free(pool, sesame_block_pool_alloc(pool, Self.hashBlock)!)
            #expect(sesame_block_pool_release_idle(pool, 60) == 0)
            #expect(sesame_block_pool_kept_bytes(pool) > 0)
            let released = sesame_block_pool_release_idle(pool, 0)
            #expect(released >= Self.hashBlock)
            #expect(sesame_block_pool_kept_bytes(pool) == 0)
            #expect(sesame_block_pool_mapped_bytes(pool) == 0)
        }
    }

    @Test func atMostTwoBlocksAreKept() throws {
        withPool { pool in
            let blocks = (0..<3).map { _ in sesame_block_pool_alloc(pool, 2 << 20)! }
            let each = sesame_block_pool_mapped_bytes(pool) / 3
            for block in blocks { sesame_block_pool_free(pool, block) }
            #expect(sesame_block_pool_large_requests(pool) == 3)
            #expect(sesame_block_pool_kept_bytes(pool) == 2 * each)
            #expect(sesame_block_pool_mapped_bytes(pool) == 2 * each)
        }
    }

    @Test func aKeptBlockTooSmallIsNotHandedOut() throws {
        withPool { pool in
            let small = sesame_block_pool_alloc(pool, 2 << 20)!
            sesame_block_pool_free(pool, small)
            let large = sesame_block_pool_alloc(pool, Self.hashBlock)!
            #expect(large != small)
            #expect(sesame_block_pool_size(large) == Self.hashBlock)
            sesame_block_pool_free(pool, large)
            #expect(sesame_block_pool_kept_bytes(pool) >= Self.hashBlock + (2 << 20))
        }
    }

    @Test func smallBlocksComeFromMallocAndAreNotCounted() throws {
        withPool { pool in
            let block = sesame_block_pool_alloc(pool, 100)!
            #expect(sesame_block_pool_size(block) == 100)
            #expect(sesame_block_pool_mapped_bytes(pool) == 0)
            #expect(sesame_block_pool_large_requests(pool) == 0)
            sesame_block_pool_free(pool, block)
            #expect(sesame_block_pool_kept_bytes(pool) == 0)
        }
    }

    /// BoringSSL's scrypt runs through the pool and still gives RFC 7914's answer (§12, the
    /// third vector: N = 16384, r = 8, p = 1, 16 MiB).
    @Test func scryptAllocatesThroughThePoolAndMatchesRFC7914() throws {
        for _ in 0..<2 {
            let before = sesame_block_pool_large_requests(sesame_crypto_memory())
            let key = try KDF.Scrypt.deriveKey(
                from: Array("pleaseletmein".utf8), salt: Array("SodiumChloride".utf8), outputByteCount: 64,
                rounds: 16384, blockSize: 8, parallelism: 1)
            let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
            #expect(hex == "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")
            // Its 16 MiB came from the pool (other tests hash at the same time, so what the pool
            // holds now is theirs too; the count of large requests only grows).
            #expect(sesame_block_pool_large_requests(sesame_crypto_memory()) > before)
        }
    }
}
