extension LDAPConnection {
    /// A paged search (RFC 2696): asks for `pageSize` entries at a time and calls `body` with each
    /// page, following the server's cookie until it is empty. The control is critical, so a server
    /// without paging refuses rather than quietly cutting the answer at its size limit. If `body`
    /// throws, the server is told to drop the search (a request with size 0 and the last cookie).
    public func pagedSearch(
        _ request: LDAPSearchRequest,
        pageSize: Int,
        controls: [LDAPControl] = [],
        _ body: (LDAPSearchResult) async throws -> Void
    ) async throws {
        var pages = self.pages(request, pageSize: pageSize, controls: controls).makeAsyncIterator()
        while let page = try await pages.next() {
            do {
                try await body(page)
            } catch {
                await pages.abandon()
                throw error
            }
        }
    }

    /// The same paged search as an asynchronous sequence of pages.
    public func pages(_ request: LDAPSearchRequest, pageSize: Int, controls: [LDAPControl] = []) -> LDAPSearchPages {
        LDAPSearchPages(connection: self, request: request, pageSize: Int32(clamping: max(1, pageSize)), controls: controls)
    }
}

/// The pages of one paged search, fetched one request at a time as they are iterated.
public struct LDAPSearchPages: AsyncSequence, Sendable {
    public typealias Element = LDAPSearchResult

    let connection: LDAPConnection
    let request: LDAPSearchRequest
    let pageSize: Int32
    let controls: [LDAPControl]

    public func makeAsyncIterator() -> Iterator {
        Iterator(pages: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let pages: LDAPSearchPages
        var cookie: [UInt8] = []
        var finished = false

        init(pages: LDAPSearchPages) { self.pages = pages }

        public mutating func next() async throws(LDAPClientError) -> LDAPSearchResult? {
            guard !finished else { return nil }
            let connection = pages.connection
            let paging = LDAPPagedResultsControl(size: pages.pageSize, cookie: cookie).control(criticality: true)
            let page: LDAPSearchResult
            do {
                page = try await connection.search(pages.request, controls: pages.controls + [paging])
            } catch {
                finished = true
                throw error
            }
            // A cut answer would look like a complete directory to a sync: only success will do.
            guard page.result.code == .success else {
                finished = true
                throw LDAPClientError.failed("the paged search", page.result).at(connection.server)
            }
            let answer: LDAPPagedResultsControl?
            do {
                answer = try LDAPPagedResultsControl.find(in: page.controls)
            } catch {
                finished = true
                await connection.close()
                throw LDAPClientError.protocolViolation("the paged results control cannot be read: \(error)").at(connection.server)
            }
            let next = answer?.cookie ?? []
            if !next.isEmpty, next == cookie, page.entries.isEmpty, page.references.isEmpty {
                finished = true
                await connection.close()
                throw LDAPClientError.protocolViolation("the server sent the same cookie again with an empty page").at(connection.server)
            }
            cookie = next
            finished = next.isEmpty
            return page
        }

        /// Tells the server to release the search's state (RFC 2696 §3: size 0 with the cookie).
        public mutating func abandon() async {
            guard !finished else { return }
            finished = true
            let stop = LDAPPagedResultsControl(size: 0, cookie: cookie).control()
            _ = try? await pages.connection.search(pages.request, controls: pages.controls + [stop])
        }
    }
}
