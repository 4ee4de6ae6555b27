import Foundation
import SesameModels
import Testing

@testable import SesameCore

/// The registered vocabulary: each name exists once, and what the server announces is derived from it.
@Suite struct VocabularyTests {
    @Test func everyAuditKindIsRegisteredOnceUnderItsOwnName() {
        let names = AuditEventKind.all.map(\.rawValue)
        #expect(Set(names).count == names.count, "a kind spelled twice: \(names.filter { n in names.filter { $0 == n }.count > 1 })")
        #expect(names.count >= 45)
        for name in names {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (0x61...0x7A).contains($0) || $0 == 0x5F } }, "\(name)")
        }
    }

    /// No source file outside the registry spells a kind as a string literal: each call names
    /// the registered member, so a typo cannot create a new kind an alert would never match.
    @Test func noSourceFileSpellsAnAuditKindAsALiteral() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let registry = "AuditEventKind.swift"
        let literals = Set(AuditEventKind.all.map { "\"\($0.rawValue)\"" })
        var offenders: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", file.lastPathComponent != registry else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for literal in literals where text.contains(literal) { offenders.append("\(file.lastPathComponent): \(literal)") }
        }
        #expect(offenders.isEmpty, "\(offenders.sorted())")
    }

    @Test func auditEventsRecordTheirKind() {
        let event = AuditEvent(kind: .tokenReuseDetected, at: Date(timeIntervalSince1970: 0))
        #expect(event.type == "token.reuse_detected")
        #expect(event.kind == .tokenReuseDetected)
    }

    @Test func theScopeCatalogueIsOneListWithPermissions() throws {
        let names = ScopeCatalogue.names
        #expect(Set(names).count == names.count)
        #expect(Scope.supported == names)
        let permissions = try #require(ScopeCatalogue.named("permissions"))
        #expect(permissions.claims == ["permissions"])
        #expect(!permissions.consentDescription.isEmpty && permissions.consentDescription != "permissions")
        for scope in ScopeCatalogue.all { #expect(!scope.consentDescription.isEmpty, "\(scope.name)") }
        // A client acting for itself is refused every personal scope the catalogue lists.
        #expect(ClientCredentialsGrant.personScopes == Set(ScopeCatalogue.all.filter(\.isPersonal).map(\.name)))
        #expect(ClientCredentialsGrant.personScopes.contains("permissions"))
    }

    @Test func discoveryIsDerivedFromWhatIsRegistered() {
        let document = DiscoveryDocument.sesame(issuer: "https://sesame.test")
        #expect(document.scopes_supported == ScopeCatalogue.names)
        #expect(document.scopes_supported.contains("permissions"))
        for claim in ScopeCatalogue.releasedClaims { #expect(document.claims_supported.contains(claim), "\(claim)") }
        #expect(document.claims_supported.contains("permissions"))
        #expect(Set(document.claims_supported).count == document.claims_supported.count)
        #expect(document.grant_types_supported == GrantType.allCases.map(\.rawValue))
        #expect(document.id_token_signing_alg_values_supported == SigningAlgorithm.allCases.map(\.rawValue))
        #expect(document.token_endpoint_auth_methods_supported == TokenEndpointAuthMethod.allCases.map(\.rawValue))
        #expect(document.acr_values_supported == AssuranceLevel.allCases.map(\.rawValue))
        #expect(document.response_modes_supported == ["query", "form_post"])
        #expect(document.code_challenge_methods_supported == ["S256"])
        #expect(document.prompt_values_supported == ["none", "login", "consent"])
        // The wire type itself lists nothing: every value above came from a registry.
        let bare = DiscoveryDocument(issuer: "https://sesame.test")
        #expect(bare.scopes_supported.isEmpty && bare.claims_supported.isEmpty && bare.grant_types_supported.isEmpty)
        #expect(bare.id_token_signing_alg_values_supported.isEmpty)
    }

    @Test func grantTypesAreRegisteredNamesOnly() {
        #expect(GrantType(rawValue: "authorization_code") == .authorizationCode)
        #expect(GrantType(rawValue: "password") == nil)
        #expect(GrantType(rawValue: "urn:ietf:params:oauth:grant-type:device_code") == nil, "not until its grant exists")
        #expect(!GrantType.clientCredentials.isExtension)
        let names = GrantType.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        // Stored in client rows as JSON strings: the type round-trips through Codable.
        let data = try? JSONEncoder().encode([GrantType.refreshToken])
        #expect(data.flatMap { try? JSONDecoder().decode([GrantType].self, from: $0) } == [.refreshToken])
        #expect(OAuthError.unsupportedGrantType("password").errorDescription.contains("client_credentials"))
    }

    @Test func casTicketKindsHaveDistinctPrefixes() {
        let prefixes = CASTicketKind.allCases.map(\.prefix)
        #expect(Set(prefixes).count == prefixes.count)
        #expect(CASTicketKind.serviceTicket.spells("ST-abc"))
        #expect(!CASTicketKind.proxyGrantingTicket.spells("PGTIOU-abc"), "a PGTIOU is not a PGT")
        #expect(!CASTicketKind.proxyTicket.spells("ST-abc"))
    }

    /// A repeated parameter is named in a description RFC 6749 allows (bounded, printable ASCII).
    @Test func aRepeatedParameterIsAnInvalidRequest() {
        let error = OAuthError.repeatedParameter("scope")
        #expect(error.code == "invalid_request")
        #expect(error.errorDescription.contains("scope"))
        let hostile = OAuthError.repeatedParameter(String(repeating: "\u{7}é", count: 100))
        #expect(hostile.errorDescription.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) })
    }

    /// The token endpoint's reuse alert hangs on the typed reason, not on the wording of the detail.
    @Test func aReplayCarriesATypedReason() {
        let replay = OAuthError.invalidGrant("the authorization code was already used", detail: "anything", reason: .replayRevokedGrant)
        #expect(replay.reason == .replayRevokedGrant)
        #expect(OAuthError.invalidGrant("the refresh token was revoked", detail: "family revoked").reason == nil)
    }
}
