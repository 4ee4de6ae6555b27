import SesameJOSE

extension VerifiedJWT {
    /// Checks a client's JWS against its registered keys: the one its `kid` names, or, when it
    /// names none, any key of the same algorithm.
    public static func verify(_ token: String, clientKeys: [JWTVerificationKey]) -> VerifiedJWT? {
        guard let jws = CompactJWS(token), let alg = jws.algorithm else { return nil }
        let kid = jws.kid
        let candidates = clientKeys.filter { $0.algorithm == alg && (kid == nil || $0.kid == kid) }
        for key in candidates {
            if let verified = jws.verified(with: key) { return verified }
        }
        return nil
    }
}
