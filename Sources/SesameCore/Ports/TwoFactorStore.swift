import Foundation

/// A person's second factor as stored: the TOTP secret sealed with the data key, never in clear.
public struct TwoFactorRecord: Sendable, Equatable {
    public var userID: String
    public var sealedSecret: [UInt8]?
    public var enabledAt: Date?
    public var lastUsedStep: UInt64?
    public var pendingSealedSecret: [UInt8]?
    public var pendingCreatedAt: Date?
    /// Set with `sesame user require-2fa`.
    public var required: Bool

    public init(userID: String, sealedSecret: [UInt8]? = nil, enabledAt: Date? = nil, lastUsedStep: UInt64? = nil,
                pendingSealedSecret: [UInt8]? = nil, pendingCreatedAt: Date? = nil, required: Bool = false) {
        self.userID = userID
        self.sealedSecret = sealedSecret
        self.enabledAt = enabledAt
        self.lastUsedStep = lastUsedStep
        self.pendingSealedSecret = pendingSealedSecret
        self.pendingCreatedAt = pendingCreatedAt
        self.required = required
    }

    public var isEnabled: Bool { sealedSecret != nil && enabledAt != nil }
}

public protocol TwoFactorStore: Sendable {
    func twoFactor(userID: String) async throws -> TwoFactorRecord?
    func savePendingSecret(userID: String, sealed: [UInt8], at: Date) async throws
    /// Turns the pending secret into the active one, with its first used step and recovery codes.
    func enableTwoFactor(userID: String, sealedSecret: [UInt8], usedStep: UInt64, recoveryDigests: [String], at: Date) async throws
    /// Records `step` as used if it is later than the last one, atomically; false on a replay.
    func useStep(userID: String, step: UInt64) async throws -> Bool
    func replaceRecoveryCodes(userID: String, digests: [String]) async throws
    /// Deletes the code if it exists; true when it did (each works once).
    func consumeRecoveryCode(userID: String, digest: String) async throws -> Bool
    func recoveryCodesLeft(userID: String) async throws -> Int
    /// Removes the second factor and its recovery codes (keeps whether it is required).
    func resetTwoFactor(userID: String) async throws
    func setTwoFactorRequired(userID: String, _ required: Bool) async throws
    func setTwoFactorRequired(role: String, _ required: Bool) async throws
    func rolesRequiringTwoFactor() async throws -> [String]
}
