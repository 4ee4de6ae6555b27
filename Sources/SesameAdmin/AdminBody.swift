import Foundation
import Hummingbird

/// Reads a JSON object body: not JSON or not an object is 400; an unknown member or a value of
/// the wrong type is 422 naming the member.
enum AdminBody {
    static let limit = 64 * 1024

    static func decode<T: Decodable>(_ type: T.Type, allowing members: Set<String>, from request: Request) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let data = Data(buffer.readableBytesView)
        guard let object = try? JSONSerialization.jsonObject(with: data), let members_ = object as? [String: Any] else {
            throw Problem.badRequest("the body must be a JSON object")
        }
        if let unknown = members_.keys.sorted().first(where: { !members.contains($0) }) {
            throw Problem.invalid("unknown member '\(unknown)'", field: unknown)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Problem.invalid(describe(error), field: field(of: error))
        }
    }

    static func field(of error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: return nil
        }
        return path.first?.stringValue
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "'\(key.stringValue)' is required"
        case .typeMismatch(let type, let context): "'\(context.codingPath.first?.stringValue ?? "value")' must be \(describe(type))"
        case .valueNotFound(let type, let context): "'\(context.codingPath.first?.stringValue ?? "value")' must be \(describe(type)), not null"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "the body does not match the schema"
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [String].Type: "an array of strings"
        default: "of another type"
        }
    }
}

/// A member that may be absent, null, or a value (PATCH distinguishes "leave" from "clear").
enum Patch<Value: Decodable & Sendable>: Decodable, Sendable {
    case absent
    case value(Value?)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .value(nil) : .value(try container.decode(Value.self))
    }

    /// For the management services: nil leaves the field, `.some(nil)` clears it.
    var value: Value?? {
        if case .value(let value) = self { return .some(value) }
        return nil
    }
}

extension KeyedDecodingContainer {
    func decode<Value>(_ type: Patch<Value>.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .absent }
        return try decodeNil(forKey: key) ? .value(nil) : .value(decode(Value.self, forKey: key))
    }
}
