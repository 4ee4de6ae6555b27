import Logging
import Hummingbird
import NIOCore
import SesameCore

/// `GET /healthz`: 200 when the store answers, 503 when it does not. For load balancers.
struct HealthRoutes {
    let health: any HealthCheck

    func register(on router: Router<SesameRequestContext>) {
        router.get("/healthz") { _, context -> Response in
            do {
                try await health.ping()
                return Self.json(.ok, #"{"status":"ok","store":"ok"}"#)
            } catch {
                context.logger.error("health check failed", metadata: ["error": "\(error)"])
                return Self.json(.serviceUnavailable, #"{"status":"unavailable","store":"unreachable"}"#)
            }
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
