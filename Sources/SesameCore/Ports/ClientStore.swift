public protocol ClientStore: Sendable {
    /// Throws `ClientError.duplicateName` when the name is taken.
    func insert(_ client: Client) async throws
    func client(id: String) async throws -> Client?
    func client(name: String) async throws -> Client?
    func clients() async throws -> [Client]
    func update(_ client: Client) async throws
    func delete(clientID: String) async throws -> Bool
}
