import SwiftASN1

extension LDAPOperation {
    func write(into coder: inout DER.Serializer) {
        let app = BERTag.application(tag)
        switch self {
        case .bindRequest(let request):
            coder.writeConstructed(app) { inner in
                inner.writeInteger(request.version)
                inner.writeString(request.name)
                switch request.authentication {
                case .simple(let password):
                    inner.writeOctets(password, BERTag.context(0))
                case .sasl(let mechanism, let credentials):
                    inner.writeConstructed(BERTag.context(3)) { sasl in
                        sasl.writeString(mechanism)
                        if let credentials { sasl.writeOctets(credentials) }
                    }
                }
            }
        case .bindResponse(let result, let creds):
            coder.writeConstructed(app) { inner in
                result.writeComponents(into: &inner)
                if let creds { inner.writeOctets(creds, BERTag.context(7)) }
            }
        case .unbindRequest:
            coder.writeOctets([], app)
        case .searchRequest(let request):
            coder.writeConstructed(app) { inner in
                inner.writeString(request.base)
                inner.writeEnumerated(request.scope.rawValue)
                inner.writeEnumerated(request.derefAliases.rawValue)
                inner.writeInteger(request.sizeLimit)
                inner.writeInteger(request.timeLimit)
                inner.writeBoolean(request.typesOnly)
                request.filter.write(into: &inner)
                inner.writeConstructed(.sequence) { list in
                    for attribute in request.attributes { list.writeString(attribute) }
                }
            }
        case .searchResultEntry(let entry):
            coder.writeConstructed(app) { inner in
                inner.writeString(entry.dn)
                inner.writeConstructed(.sequence) { list in
                    for attribute in entry.attributes { attribute.write(into: &list) }
                }
            }
        case .searchResultReference(let uris):
            coder.writeConstructed(app) { inner in
                for uri in uris { inner.writeString(uri) }
            }
        case .searchResultDone(let result), .modifyResponse(let result):
            coder.writeConstructed(app) { result.writeComponents(into: &$0) }
        case .modifyRequest(let dn, let changes):
            coder.writeConstructed(app) { inner in
                inner.writeString(dn)
                inner.writeConstructed(.sequence) { list in
                    for change in changes {
                        list.writeConstructed(.sequence) { item in
                            item.writeEnumerated(change.operation.rawValue)
                            LDAPAttribute(type: change.type, values: change.values).write(into: &item)
                        }
                    }
                }
            }
        case .extendedRequest(let name, let value):
            coder.writeConstructed(app) { inner in
                inner.writeString(name, BERTag.context(0))
                if let value { inner.writeOctets(value, BERTag.context(1)) }
            }
        case .extendedResponse(let result, let name, let value):
            coder.writeConstructed(app) { inner in
                result.writeComponents(into: &inner)
                if let name { inner.writeString(name, BERTag.context(10)) }
                if let value { inner.writeOctets(value, BERTag.context(11)) }
            }
        case .abandonRequest(let messageID):
            coder.writeInteger(messageID, app)
        case .other(_, let bytes):
            coder.serializeRawBytes(bytes)
        }
    }

    static func read(_ node: ASN1Node, _ reader: BERReader) throws(LDAPMessageError) -> LDAPOperation {
        guard node.identifier.tagClass == .application else { throw .malformed("protocolOp: tag \(node.identifier)") }
        let id = node.identifier
        switch id.tagNumber {
        case 0:
            var fields = try reader.children(node, id, "BindRequest")
            let version = try reader.integer(fields.next("version"), "version")
            guard (1...127).contains(version) else { throw .malformed("BindRequest: version \(version)") }
            let name = try reader.string(fields.next("name"), "name")
            let auth = try fields.next("authentication")
            let authentication: LDAPBindRequest.Authentication
            switch auth.identifier {
            case BERTag.context(0):
                authentication = .simple(password: try reader.octets(auth, BERTag.context(0), "simple"))
            case BERTag.context(3):
                var sasl = try reader.children(auth, BERTag.context(3), "SaslCredentials")
                let mechanism = try reader.string(sasl.next("mechanism"), "mechanism")
                let credentials = try sasl.optional(.octetString).map { node throws(LDAPMessageError) in try reader.octets(node, "credentials") }
                try sasl.end()
                authentication = .sasl(mechanism: mechanism, credentials: credentials)
            default:
                throw .malformed("BindRequest: authentication \(auth.identifier)")
            }
            try fields.end()
            return .bindRequest(LDAPBindRequest(version: Int(version), name: name, authentication: authentication))
        case 1:
            var fields = try reader.children(node, id, "BindResponse")
            let result = try LDAPResult.readComponents(&fields, reader)
            let creds = try fields.optional(BERTag.context(7)).map { node throws(LDAPMessageError) in try reader.octets(node, BERTag.context(7), "serverSaslCreds") }
            try fields.end()
            return .bindResponse(result, serverSaslCreds: creds)
        case 2:
            guard try reader.primitive(node, id, "UnbindRequest").isEmpty else { throw .malformed("UnbindRequest: not empty") }
            return .unbindRequest
        case 3:
            var fields = try reader.children(node, id, "SearchRequest")
            let base = try reader.string(fields.next("baseObject"), "baseObject")
            guard let scope = LDAPSearchScope(rawValue: try reader.enumerated(fields.next("scope"), "scope")) else { throw .malformed("SearchRequest: scope") }
            guard let deref = LDAPDerefAliases(rawValue: try reader.enumerated(fields.next("derefAliases"), "derefAliases")) else { throw .malformed("SearchRequest: derefAliases") }
            let sizeLimit = try reader.int32(fields.next("sizeLimit"), "sizeLimit")
            let timeLimit = try reader.int32(fields.next("timeLimit"), "timeLimit")
            let typesOnly = try reader.boolean(fields.next("typesOnly"), "typesOnly")
            let filter = try LDAPFilter.read(fields.next("filter"), reader)
            var list = try reader.children(fields.next("attributes"), .sequence, "attributes")
            try fields.end()
            var attributes: [String] = []
            while !list.isAtEnd { attributes.append(try reader.string(list.next("attribute"), "attribute")) }
            return .searchRequest(LDAPSearchRequest(
                base: base, scope: scope, derefAliases: deref, sizeLimit: sizeLimit, timeLimit: timeLimit,
                typesOnly: typesOnly, filter: filter, attributes: attributes))
        case 4:
            var fields = try reader.children(node, id, "SearchResultEntry")
            let dn = try reader.string(fields.next("objectName"), "objectName")
            var list = try reader.children(fields.next("attributes"), .sequence, "PartialAttributeList")
            try fields.end()
            var attributes: [LDAPAttribute] = []
            while !list.isAtEnd { attributes.append(try LDAPAttribute.read(list.next("PartialAttribute"), reader)) }
            return .searchResultEntry(LDAPSearchEntry(dn: dn, attributes: attributes))
        case 5, 7:
            var fields = try reader.children(node, id, "result")
            let result = try LDAPResult.readComponents(&fields, reader)
            try fields.end()
            return id.tagNumber == 5 ? .searchResultDone(result) : .modifyResponse(result)
        case 6:
            var fields = try reader.children(node, id, "ModifyRequest")
            let dn = try reader.string(fields.next("object"), "object")
            var list = try reader.children(fields.next("changes"), .sequence, "changes")
            try fields.end()
            var changes: [LDAPModification] = []
            while !list.isAtEnd {
                var change = try reader.children(list.next("change"), .sequence, "change")
                guard let operation = LDAPModification.Operation(rawValue: try reader.enumerated(change.next("operation"), "operation")) else {
                    throw .malformed("change: operation")
                }
                let attribute = try LDAPAttribute.read(change.next("modification"), reader)
                try change.end()
                changes.append(LDAPModification(operation, type: attribute.type, values: attribute.values))
            }
            return .modifyRequest(dn: dn, changes: changes)
        case 16:
            let messageID = try reader.int32(node, id, "AbandonRequest")
            return .abandonRequest(messageID: messageID)
        case 19:
            var list = try reader.children(node, id, "SearchResultReference")
            guard list.count > 0 else { throw .malformed("SearchResultReference: empty") }
            var uris: [String] = []
            while !list.isAtEnd { uris.append(try reader.string(list.next("URI"), "URI")) }
            return .searchResultReference(uris)
        case 23:
            var fields = try reader.children(node, id, "ExtendedRequest")
            let name = try reader.string(fields.next("requestName"), BERTag.context(0), "requestName")
            let value = try fields.optional(BERTag.context(1)).map { node throws(LDAPMessageError) in try reader.octets(node, BERTag.context(1), "requestValue") }
            try fields.end()
            return .extendedRequest(name: name, value: value)
        case 24:
            var fields = try reader.children(node, id, "ExtendedResponse")
            let result = try LDAPResult.readComponents(&fields, reader)
            let name = try fields.optional(BERTag.context(10)).map { node throws(LDAPMessageError) in try reader.string(node, BERTag.context(10), "responseName") }
            let value = try fields.optional(BERTag.context(11)).map { node throws(LDAPMessageError) in try reader.octets(node, BERTag.context(11), "responseValue") }
            try fields.end()
            return .extendedResponse(result, name: name, value: value)
        default:
            return .other(tag: id.tagNumber, bytes: Array(node.encodedBytes))
        }
    }

    /// Add, delete, modify DN and compare responses: an LDAPResult under their own tag.
    static func decodeOtherResult(_ bytes: [UInt8]) throws(LDAPMessageError) -> LDAPResult {
        let reader = BERReader(limits: .default)
        let node = try reader.parse(bytes[...])
        var fields = try reader.children(node, node.identifier, "response")
        let result = try LDAPResult.readComponents(&fields, reader)
        try fields.end()
        return result
    }
}

extension LDAPAttribute {
    func write(into coder: inout DER.Serializer) {
        coder.writeConstructed(.sequence) { inner in
            inner.writeString(type)
            inner.writeConstructed(.set) { set in
                for value in values { set.writeOctets(value) }
            }
        }
    }

    static func read(_ node: ASN1Node, _ reader: BERReader) throws(LDAPMessageError) -> LDAPAttribute {
        var fields = try reader.children(node, .sequence, "PartialAttribute")
        let type = try reader.string(fields.next("type"), "type")
        var set = try reader.children(fields.next("vals"), .set, "vals")
        try fields.end()
        var values: [[UInt8]] = []
        values.reserveCapacity(set.count)
        while !set.isAtEnd { values.append(try reader.octets(set.next("value"), "value")) }
        return LDAPAttribute(type: type, values: values)
    }
}
