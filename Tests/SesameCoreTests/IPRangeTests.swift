import SesameModels
import Testing

@Suite struct IPRangeTests {
    @Test func ipv4BlocksAndSingleAddresses() throws {
        let block = try #require(IPRange("192.0.2.0/24"))
        #expect(block.contains("192.0.2.0") && block.contains("192.0.2.255"))
        #expect(!block.contains("192.0.3.1") && !block.contains("10.0.0.1"))
        #expect(block.contains("::ffff:192.0.2.7"), "IPv4-mapped IPv6 is the IPv4 address")
        let single = try #require(IPRange("10.1.2.3"))
        #expect(single.prefixLength == 32 && single.contains("10.1.2.3") && !single.contains("10.1.2.4"))
        #expect(IPRange("10.1.2.3/8")?.description == "10.0.0.0/8", "host bits are cleared")
        #expect(try #require(IPRange("0.0.0.0/0")).contains("203.0.113.9"))
    }

    @Test func ipv6BlocksWithCompressionAndEmbeddedIPv4() throws {
        let block = try #require(IPRange("2001:db8::/32"))
        #expect(block.contains("2001:db8::1") && block.contains("2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff"))
        #expect(!block.contains("2001:db9::1") && !block.contains("192.0.2.1"))
        #expect(try #require(IPRange("::1")).contains("0:0:0:0:0:0:0:1"))
        #expect(try #require(IPRange("fe80::/10")).contains("fe80::1%eth0"))
        #expect(try #require(IPRange("::ffff:0:0/96")).contains("::ffff:1.2.3.4"))
        #expect(IPRange("2001:db8::1/64")?.description == "2001:db8:0:0:0:0:0:0/64")
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/-1", "1::2::3", "2001:db8::/129", "12345::", "::g", "1.2.3.4/", "a.b.c.d"])
    func malformedRangesAreRefused(_ text: String) {
        #expect(IPRange(text) == nil)
    }
}
