import Foundation
import Logging
import Hummingbird
import NIOCore
import SesameCore

/// `GET /healthz`: 200 when the store answers, 503 when it does not. For load balancers. A
/// directory that cannot be reached is named (`"directories": {"corp": "unreachable"}`) but does
/// not make the answer 503: the server still serves local sign-ins and every signed-in person.
struct HealthRoutes {
    let health: any HealthCheck
    var directories: DirectoryHealth? = nil

    func register(on router: Router<SesameRequestContext>) {
        router.get("/healthz") { _, context -> Response in
            var body: [String: HealthValue] = [:]
            let status: HTTPResponse.Status
            do {
                try await health.ping()
                (status, body["status"], body["store"]) = (.ok, .text("ok"), .text("ok"))
            } catch {
                context.logger.error("health check failed", metadata: ["error": "\(error)"])
                (status, body["status"], body["store"]) = (.serviceUnavailable, .text("unavailable"), .text("unreachable"))
            }
            if let directories {
                let statuses = await directories.statuses()
                if !statuses.isEmpty {
                    body["directories"] = .object(Dictionary(statuses.map { ($0.name, $0.status) }) { first, _ in first })
                }
            }
            return Self.json(status, body)
        }
    }

    enum HealthValue: Encodable {
        case text(String)
        case object([String: String])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .object(let object): try container.encode(object)
            }
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ body: [String: HealthValue]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(body)) ?? Data(#"{"status":"unavailable"}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
