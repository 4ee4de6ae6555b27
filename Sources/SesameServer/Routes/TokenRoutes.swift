import Hummingbird
import SesameModels
import SesameJOSE
import SesameCore

/// The back-channel endpoints apps call: token, introspection, revocation.
struct TokenRoutes {
    let oauth: OAuthDependencies

    func register(on router: Router<SesameRequestContext>) {
        router.post("/token") { request, context in
            let (parameters, credentials) = try await Self.read(request, context: context)
            let issued = try await oauth.tokenEndpoint.handle(
                TokenRequest(parameters: parameters, credentials: credentials, clientAddress: context.clientAddress)
            )
            return JSONResponse.make(json: issued.json)
        }
        router.post("/introspect") { request, context in
            let (parameters, credentials) = try await Self.read(request, context: context)
            let caller = try await oauth.tokenEndpoint.authenticate(credentials, address: context.clientAddress)
            guard !caller.isPublic else { throw OAuthError.invalidClient("public clients cannot introspect tokens") }
            guard let token = parameters["token"], !token.isEmpty else { throw OAuthError.invalidRequest("token is required") }
            return JSONResponse.make(json: try await oauth.introspection.introspect(token, by: caller).json)
        }
        router.post("/revoke") { request, context in
            let (parameters, credentials) = try await Self.read(request, context: context)
            let caller = try await oauth.tokenEndpoint.authenticate(credentials, address: context.clientAddress)
            guard let token = parameters["token"], !token.isEmpty else { throw OAuthError.invalidRequest("token is required") }
            try await oauth.introspection.revoke(token, by: caller)
            await oauth.audit.record(.tokenRevoked, clientID: caller.id, clientAddress: context.clientAddress)
            return Response(status: .ok, headers: [.cacheControl: "no-store"])
        }
    }

    /// The form body and the client's credentials. Whatever goes wrong reading it (a bad form, a
    /// body over the limit, a broken chunked encoding) is an OAuth JSON error, never a page or a 500.
    static func read(_ request: Request, context: SesameRequestContext) async throws -> ([String: String], ClientCredentials) {
        let form: FormBody
        do {
            form = try await FormBody.read(request, context: context)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw OAuthError(code: "invalid_request", description: "the request body is too large", status: 413)
        } catch let error as HTTPError {
            throw OAuthError.invalidRequest(error.body ?? "the body must be a form (application/x-www-form-urlencoded)")
        } catch {
            throw OAuthError(code: "invalid_request", description: "the request body could not be read", detail: "\(error)")
        }
        // RFC 6749 §3.1: no parameter more than once; "first one wins" would let a proxy or a
        // confused client smuggle a second value past whatever looked at the first.
        if let name = form.repeatedNames.first { throw OAuthError.repeatedParameter(name) }
        return (form.all, ClientCredentials(basic: try basicCredentials(request), parameters: form.all))
    }

    /// `Authorization: Basic` with the id and secret each form-URL-encoded (RFC 6749 §2.3.1), read
    /// on bytes: the scheme name in any case, then base64 of `id:secret`.
    static func basicCredentials(_ request: Request) throws -> (id: String, secret: String)? {
        guard let header = request.headers[.authorization] else { return nil }
        let bytes = Array(header.utf8)
        guard bytes.count >= 6, zip(bytes, "basic".utf8).allSatisfy({ $0 | 0x20 == $1 }), bytes[5] == UInt8(ascii: " ") else { return nil }
        var start = 6
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        guard let decoded = StandardBase64.decode(bytes[start..<end]), let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
            let id = FormURLDecoding.decode(decoded[..<colon]), let secret = FormURLDecoding.decode(decoded[(colon + 1)...])
        else { throw OAuthError.invalidClient("the Basic authorization header is malformed") }
        return (id, secret)
    }
}
