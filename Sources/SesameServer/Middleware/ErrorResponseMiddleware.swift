import Foundation
import Hummingbird
import Logging
import NIOCore
import SesameCore
import SesameModels

/// The one place where errors become HTTP responses: an HTML page for people, JSON for clients
/// that ask for it. Internal details are logged, never shown.
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as OAuthError {
            return Self.oauth(error, request: request, context: context)
        } catch {
            let (status, message) = Self.describe(error)
            if status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
            }
            if Self.wantsJSON(request) {
                return Self.json(status: status, message: message)
            }
            return pages.render("error", ["title": status.reasonPhrase, "message": message], status: status)
        }
    }

    /// RFC 6749 §5.2: JSON with `error` and `error_description`; 401 for a failed client
    /// authentication, with a challenge for the scheme the client tried.
    static func oauth(_ error: OAuthError, request: Request, context: Context) -> Response {
        if let detail = error.detail { context.logger.info("oauth error", metadata: ["error": "\(error.code)", "detail": "\(detail)"]) }
        let status = HTTPResponse.Status(code: error.status)
        var response = JSONResponse.make(ErrorBody(error: error.code, error_description: error.errorDescription), status: status)
        if let seconds = error.retryAfter { response.headers[.retryAfter] = String(seconds) }
        if error.status == 401 {
            let usedBasic = request.headers[.authorization]?.lowercased().hasPrefix("basic ") ?? false
            response.headers[.wwwAuthenticate] = error.code == "invalid_token"
                ? #"Bearer error="invalid_token", error_description="\#(error.errorDescription)""#
                : (usedBasic ? #"Basic realm="sesame""# : #"Bearer realm="sesame""#)
        }
        return response
    }

    static func describe(_ error: any Error) -> (HTTPResponse.Status, String) {
        switch error {
        case let error as HTTPError:
            return (error.status, error.body ?? defaultMessage(error.status))
        case let error as any HTTPResponseError:
            return (error.status, defaultMessage(error.status))
        case let error as AccountError:
            return (.badRequest, error.message)
        default:
            return (.internalServerError, defaultMessage(.internalServerError))
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "There is no page at this address."
        case .contentTooLarge: "The request is larger than Sesame accepts."
        case .methodNotAllowed: "This address does not accept that method."
        case .internalServerError: "Something went wrong on our side. Please try again."
        default: status.reasonPhrase
        }
    }

    static func wantsJSON(_ request: Request) -> Bool {
        let accept = request.headers[.accept] ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }

    static func json(status: HTTPResponse.Status, message: String) -> Response {
        let code = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(ErrorBody(error: code, error_description: message))) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The JSON error body, in the shape OAuth clients already parse (RFC 6749 §5.2), shared with the toolkit.
typealias ErrorBody = OAuthErrorResponse
