import Foundation
import SesameCore
@testable import SesameServer
import Testing

/// The enrolment page's QR code is drawn by the server from the core's modules.
@Suite struct QRCodeSVGTests {
    /// The real proof: Debian's zbarimg reads back what Sesame drew, for several lengths.
    @Test(arguments: [20, 60, 120, 180, 260, 400])
    func zbarimgDecodesIt(length: Int) async throws {
        let base = "otpauth://totp/Sesame:alice?secret=JBSWY3DPEHPK3PXP&issuer=Sesame&algorithm=SHA1&digits=6&period=30"
        let text = String((base + String(repeating: "-long-account-name", count: 30)).prefix(length))
        let code = try QRCode(text: text)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("q.svg"), png = directory.appendingPathComponent("q.png")
        try QRCodeSVG.render(code).write(to: svg, atomically: true, encoding: .utf8)
        #expect(try await runTool("/usr/bin/rsvg-convert", ["-w", "800", "-b", "white", svg.path, "-o", png.path]).status == 0)
        let decoded = try await runTool("/usr/bin/zbarimg", ["-q", "--raw", png.path]).output
        #expect(decoded.trimmingCharacters(in: .newlines) == text, "version \(code.version), mask \(code.mask)")
    }

    /// Only numbers go into the markup, whatever the text encoded (the page inserts it unescaped).
    @Test func theMarkupCarriesNoneOfTheText() throws {
        let svg = try QRCodeSVG.render(text: "otpauth://totp/<script>\"&'")
        #expect(svg.hasPrefix("<svg") && !svg.contains("script") && !svg.contains("&"))
    }
}
