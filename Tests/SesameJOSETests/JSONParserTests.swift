import Foundation
import SesameJOSE
import Testing

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    @Test func rfc8259Examples() throws {
        // RFC 8259 §13, both examples.
        let image = try parse("""
            {
              "Image": {
                  "Width":  800,
                  "Height": 600,
                  "Title":  "View from 15th Floor",
                  "Thumbnail": {
                      "Url":    "http://www.example.com/image/481989943",
                      "Height": 125,
                      "Width":  100
                  },
                  "Animated" : false,
                  "IDs": [116, 943, 234, 38793]
                }
            }
            """)
        #expect(image == [
            "Image": [
                "Width": 800, "Height": 600, "Title": "View from 15th Floor",
                "Thumbnail": ["Url": "http://www.example.com/image/481989943", "Height": 125, "Width": 100],
                "Animated": false, "IDs": [116, 943, 234, 38793],
            ],
        ])
        let places = try parse("""
            [
              {
                 "precision": "zip",
                 "Latitude":  37.7668,
                 "Longitude": -122.3959,
                 "Address":   "",
                 "City":      "SAN FRANCISCO",
                 "State":     "CA",
                 "Zip":       "94107",
                 "Country":   "US"
              },
              {
                 "precision": "zip",
                 "Latitude":  37.371991,
                 "Longitude": -122.026020,
                 "Address":   "",
                 "City":      "SUNNYVALE",
                 "State":     "CA",
                 "Zip":       "94085",
                 "Country":   "US"
              }
            ]
            """)
        #expect(places.array?.count == 2)
        #expect(places.array?[0].object?["Latitude"] == .number(37.7668))
        #expect(places.array?[1].object?["Longitude"] == .number(-122.026020))
        #expect(places.array?[1].object?["City"]?.string == "SUNNYVALE")
        // Texts that are a lone value.
        #expect(try parse(#""Hello world!""#) == "Hello world!")
        #expect(try parse("42") == 42)
        #expect(try parse("true") == true)
        #expect(try parse(" null ") == nil)
    }

    @Test func escapesAndUnicode() throws {
        // RFC 8259 §7: a reverse solidus three ways, and the G clef as a surrogate pair.
        #expect(try parse(#"["\\", "\u005C", "\u005c"]"#) == ["\\", "\\", "\\"])
        #expect(try parse(#""\uD834\uDD1E""#) == "𝄞")
        #expect(try parse(#""\"\/\b\f\n\r\t""#) == "\"/\u{08}\u{0C}\n\r\t")
        #expect(try parse(#""caf\u00e9 café €𝄞""#) == "café café €𝄞")
        #expect(try parse(#""a\u0000b""#) == "a\u{0}b")
        #expect(try parse(#"{"ü":"\u00FC"}"#) == ["ü": "ü"])
    }

    @Test func numbers() throws {
        #expect(try parse("0") == 0)
        #expect(try parse("-0").number?.sign == .minus)
        #expect(try parse("1800000600") == .number(1_800_000_600))
        #expect(try parse("9007199254740993") == .number(9_007_199_254_740_992), "beyond 2^53 rounds as a Double does")
        #expect(try parse("123456789012345678901234567890") == .number(1.2345678901234568e29))
        #expect(try parse("1.5e3") == 1500)
        #expect(try parse("2E-2") == .number(0.02))
        #expect(try parse("-1e+2") == -100)
        #expect(try parse("0.1") == .number(0.1))
        #expect(try parse("4.9e-324") == .number(Double.leastNonzeroMagnitude))
    }

    /// Each is refused, with the byte it went wrong at.
    @Test(arguments: [
        ("", 0), (" ", 1), ("[1,]", 3), (#"{"a":1,}"#, 7), ("[1 2]", 3), (#"{"a" 1}"#, 5), (#"{a:1}"#, 1), ("{'a':1}", 1),
        ("01", 1), ("1.", 2), (".5", 0), ("+1", 0), ("-", 1), ("1e", 2), ("1e+", 3), ("0x10", 1), ("NaN", 0), ("Infinity", 0),
        ("1e400", 0), ("-1e400", 0), ("tru", 0), ("nul", 0), ("True", 0), ("[1]x", 3), ("[1] [2]", 4), ("// c\n1", 0), ("/* c */ 1", 0),
        ("\u{FEFF}1", 0), (#""abc"#, 4), (#""a\x""#, 2), (#""\u12""#, 3), (#""\u12G4""#, 5), (#""\uD800""#, 1), (#""\uDC00""#, 1),
        (#""\uD800\u0041""#, 1), ("\"a\tb\"", 2), ("\"a\nb\"", 2), (#"{"a":1,"a":2}"#, 7), ("[", 1), ("{", 1), (#"{"a":"#, 5), ("]", 0),
    ] as [(String, Int)])
    func refused(_ text: String, offset: Int) {
        #expect(throws: JSONParseError.self, "\(text.debugDescription)") { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.offset == offset, "\(text.debugDescription): \(error.reason)")
        }
    }

    @Test func invalidUTF8IsRefused() {
        // Truncated sequence, overlong "/", an encoded surrogate, a byte that never occurs.
        for bytes: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xFF, 0x22], [0x22, 0x5C, 0x6E, 0xC3, 0x22]] {
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
        }
        #expect(throws: JSONParseError.self, "UTF-16 is not read") { try JSONValue(parsing: [0x00, 0x31]) }
    }

    @Test func nestingIsBounded() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try parse(deepest).array?.count == 1)
        #expect(throws: JSONParseError.self) { try parse("[" + deepest + "]") }
        #expect(throws: JSONParseError.self) { try parse(String(repeating: #"{"a":"#, count: 100_000)) }
    }

    @Test func accessors() throws {
        let value = try parse(#"{"s":"x","n":1.5,"b":true,"a":["p","q"],"m":["p",1],"o":{}}"#)
        let object = try #require(value.object)
        #expect(object["s"]?.string == "x" && object["s"]?.number == nil)
        #expect(object["n"]?.number == 1.5 && object["b"]?.bool == true)
        #expect(object["a"]?.strings == ["p", "q"])
        #expect(object["m"]?.strings == nil, "not all strings")
        #expect(object["m"]?.array?.count == 2 && object["o"]?.object?.isEmpty == true)
    }

    /// Random values written by Foundation read back the same by both parsers.
    @Test func readsWhatFoundationWrites() throws {
        var generator = RandomJSON(random: SplitMix64(state: 20_261_123))
        for _ in 0..<5_000 {
            let value = generator.value()
            let text = Array(try JSONSerialization.data(withJSONObject: value.foundationObject, options: [.fragmentsAllowed]))
            let ours = ourReading(text)
            #expect(ours == value, "\(String(decoding: text, as: UTF8.self))")
            #expect(foundationReading(text).map { ours?.nearlyEquals($0) == true } == true)
        }
    }

    /// Damaged texts: never more lenient than Foundation, the same value whenever both accept,
    /// and refused only where RFC 8259 or RFC 7515 says so.
    @Test func damagedTextsAgreeWithFoundation() throws {
        var generator = RandomJSON(random: SplitMix64(state: 7))
        var refusedByUsOnly = 0
        for _ in 0..<20_000 {
            let text = Array(try JSONSerialization.data(withJSONObject: generator.value().foundationObject, options: [.fragmentsAllowed]))
            let damaged = generator.mutated(text)
            let theirs = foundationReading(damaged)
            do {
                let ours = try JSONValue(parsing: damaged)
                #expect(theirs.map(ours.nearlyEquals) == true, "accepted only by us: \(String(decoding: damaged, as: UTF8.self).debugDescription)")
            } catch {
                guard theirs != nil else { continue }
                refusedByUsOnly += 1
                // Foundation also takes trailing commas, repeated names, and NULs (it guesses UTF-16).
                let trailingComma = damaged[..<error.offset].last { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: ",")
                #expect(
                    trailingComma || error.reason == "duplicate member name" || damaged.contains(0),
                    "\(String(decoding: damaged, as: UTF8.self).debugDescription): \(error.reason)"
                )
            }
        }
        #expect(refusedByUsOnly > 0, "the damage reaches the known differences")
    }
}
