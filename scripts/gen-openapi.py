"""Builds the admin API's OpenAPI 3.1 document and writes it as Swift:
    python3 scripts/gen-openapi.py Sources/SesameAdmin/OpenAPIDocument.swift
Edit this file, not the Swift one, when the API changes."""
import json
import sys

STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
BOOL = {"type": "boolean"}
DT = {"type": "string", "format": "date-time"}
NDT = {"type": ["string", "null"], "format": "date-time"}
STRS = {"type": "array", "items": {"type": "string"}}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties, required=None, closed=False, description=None):
    schema = {"type": "object"}
    if description:
        schema["description"] = description
    schema["properties"] = properties
    if required is None:
        required = list(properties)  # response objects: every field is always there
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    return schema


def list_of(name, description):
    return obj({"items": {"type": "array", "items": ref(name)}}, description=description)


client_fields = {
    "redirect_uris": STRS, "post_logout_redirect_uris": STRS, "grant_types": STRS, "scopes": STRS,
    "token_endpoint_auth_method": STR, "first_party": BOOL, "require_two_factor": BOOL,
    "resource_server": {**BOOL, "description": "An API that may introspect other clients' access tokens."},
    "required_roles": STRS, "required_groups": STRS, "claims": STRS,
    "id_token_signed_response_alg": {"type": "string", "enum": ["ES256", "RS256"]},
}
# jwks_uri can be set but not removed (a private_key_jwt client needs its keys); a null
# frontchannel_logout_uri or backchannel_logout_uri removes it.
client_settable = {
    **client_fields,
    "jwks_uri": {"type": "string", "description": "https URL of the client's JWK Set, for private_key_jwt."},
    "jwks": {"type": "string", "description": "The client's JWK Set as JSON text ({\"keys\": [...]}), for private_key_jwt."},
    "frontchannel_logout_uri": {**NSTR, "description": "Front-channel logout URL of the app; null removes it."},
    "display_name": {"type": "string", "description": "What people see, e.g. on the consent page (\"Team Wiki\"); \"\" falls back to the name."},
    "backchannel_logout_uri": {**NSTR, "description": "Back-channel logout URL of the app (https, or http on loopback): Sesame POSTs a signed logout token there when a session that signed in to the app ends; null removes it."},
}
directory_settable = {
    "urls": {**STRS, "description": "ldaps://host[:port] or ldap://host[:port], tried in order."},
    "bind_dn": STR, "bind_password": {"type": "string", "writeOnly": True, "description": "The service account's password; never shown."},
    "base_dn": STR, "profile": {"type": "string", "enum": ["active-directory", "openldap", "generic"]},
    "user_filter": {**NSTR, "description": "With {login}; null: the profile's."},
    "list_filter": {**NSTR, "description": "Everyone, for a sync; null: the profile's."},
    "login_attributes": {"type": ["array", "null"], "items": STR, "description": "null: the profile's."},
    "group_search_base": {**NSTR, "description": "null: the base DN."},
    "group_filter": {**NSTR, "description": "The groups holding a person, with {dn}; null: none."},
    "nesting": {"type": "string", "enum": ["in-chain", "expand", "off"]},
    "group_rules": {"type": "array", "items": ref("DirectoryGroupRule"), "description": "Replaces the rules."},
    "start_tls": BOOL, "ca_file": {**NSTR, "description": "PEM CA file; null: the system's trust store."},
    "verify_certificates": {**BOOL, "description": "false for tests only."},
    "connect_timeout": {"type": "number"}, "operation_timeout": {"type": "number"}, "pool_size": {"type": "integer"},
    "position": {"type": "integer"}, "enabled": BOOL,
}
client = {"client_id": STR, "name": STR, "display_name": NSTR, **client_fields, "jwks_uri": NSTR, "frontchannel_logout_uri": NSTR, "backchannel_logout_uri": NSTR, "created_at": DT}

schemas = {
    "Problem": obj({
        "type": {"type": "string", "description": "about:blank or https://sesame.dev/problems/<slug>"},
        "title": STR, "status": {"type": "integer"}, "detail": STR,
        "field": {"type": "string", "description": "The request field or parameter that was wrong."},
    }, required=["type", "title", "status", "detail"], description="An RFC 9457 problem detail."),
    "User": obj({
        "id": STR, "username": STR, "email": NSTR, "name": NSTR, "disabled": BOOL, "groups": STRS, "roles": STRS,
        "effective_roles": STRS, "two_factor": BOOL,
        "password_scheme": {"type": ["string", "null"], "description": "How the password is hashed (scrypt, or an imported scheme until the next sign-in); never the hash. null for a person without a local password."},
        "created_at": DT, "updated_at": DT,
    }),
    "UserCreate": obj({
        "username": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9._-]+$"},
        "password": {"type": ["string", "null"], "minLength": 8, "maxLength": 1024,
                     "description": "null: no local password; another configured authenticator signs the person in."},
        "email": NSTR, "name": NSTR,
    }, required=["username", "password"], closed=True),
    "UsersImport": obj({
        "users": {"type": "string", "description": "A users file: `username:password[:group] [role ...]` per line, the password in clear or as a supported hash; blank lines and # comments skipped. All or nothing."},
    }, required=["users"], closed=True),
    "UserUpdate": obj({"email": NSTR, "name": NSTR, "disabled": BOOL}, required=[], closed=True),
    "PasswordSet": obj({"password": {"type": "string", "minLength": 8, "maxLength": 1024}}, required=["password"], closed=True),
    "Session": obj({"id": STR, "created_at": DT, "last_seen_at": DT, "authenticated_at": DT, "auth_methods": STRS}),
    "Role": obj({"name": STR, "app": NSTR, "description": NSTR, "permissions": STRS, "created_at": DT}),
    "RoleCreate": obj({"name": STR, "app": NSTR, "description": NSTR, "permissions": STRS}, required=["name"], closed=True),
    "Group": obj({"name": STR, "description": NSTR, "roles": STRS, "members": STRS, "created_at": DT}),
    "GroupCreate": obj({"name": STR, "description": NSTR, "roles": STRS}, required=["name"], closed=True),
    "Client": obj(client),
    "ClientCreated": obj({**client, "client_secret": {"type": ["string", "null"], "description": "Shown once."}},
                         description="A client just registered, with its secret (null for clients without one)."),
    "ClientCreate": obj({"name": STR, **client_settable}, required=["name"], closed=True),
    "ClientUpdate": obj(dict(client_settable), required=[], closed=True),
    "CASService": obj({
        "id": STR, "name": STR, "pattern": STR, "attributes": STRS, "require_two_factor": BOOL,
        "required_roles": STRS, "required_groups": STRS, "allowed_proxies": STRS, "created_at": DT,
        "proxy_callback_pattern": NSTR, "logout_url": NSTR,
    }),
    "CASServiceCreate": obj({
        "name": STR, "pattern": STR, "attributes": STRS, "require_two_factor": BOOL, "required_roles": STRS, "required_groups": STRS,
        "allowed_proxies": STRS, "proxy_callback_pattern": STR, "logout_url": STR,
    }, required=["name", "pattern"], closed=True),
    "CASServiceUpdate": obj({
        "pattern": STR, "attributes": STRS, "require_two_factor": BOOL, "required_roles": STRS, "required_groups": STRS,
        "allowed_proxies": STRS,
        "proxy_callback_pattern": {**NSTR, "description": "null removes it."},
        "logout_url": {**NSTR, "description": "null: single log-out goes to the service URL."},
    }, required=[], closed=True),
    "ClientSecret": obj({"client_id": STR, "client_secret": STR}, description="A new client secret, shown once."),
    "Directory": obj({
        "name": STR, "profile": {"type": "string", "enum": ["active-directory", "openldap", "generic"]}, "urls": STRS,
        "bind_dn": STR, "base_dn": STR, "user_filter": STR, "list_filter": STR, "login_attributes": STRS,
        "attribute_map": obj({"username": STR, "email": STR, "name": STR, "immutable_id": STR,
                              "immutable_id_format": {"type": "string", "enum": ["text", "guid"]}}),
        "groups": obj({"member_of": BOOL, "search_base": NSTR, "search_filter": NSTR, "member_uid_filter": NSTR, "name_attribute": STR,
                       "nesting": {"type": "string", "enum": ["in-chain", "expand", "off"]}, "max_depth": {"type": "integer"},
                       "primary_group": BOOL}),
        "group_rules": {"type": "array", "items": ref("DirectoryGroupRule")},
        "start_tls": BOOL, "ca_file": NSTR, "verify_certificates": BOOL, "connect_timeout": {"type": "number"},
        "operation_timeout": {"type": "number"}, "pool_size": {"type": "integer"}, "position": {"type": "integer"}, "enabled": BOOL,
    }, description="A directory as in force (the profile's defaults filled in). The bind password is write-only and never shown."),
    "DirectoryGroupRule": obj({"match": {"type": "string", "description": "A group's DN, or its name (cn)."}, "groups": STRS, "roles": STRS},
                              required=["match"]),
    "DirectoryCreate": obj({"name": STR, **directory_settable}, required=["name", "urls", "bind_dn", "bind_password", "base_dn", "profile"], closed=True),
    "DirectoryUpdate": obj(dict(directory_settable), required=[], closed=True),
    "DirectorySync": obj({"created": {"type": "integer"}, "updated": {"type": "integer"}, "disabled": {"type": "integer"},
                          "unchanged": {"type": "integer"}}, description="What a sync did."),
    "DirectoryTest": obj({"username": STR, "password": STR}, required=[], closed=True,
                         description="Optionally a sign-in to try after the connection checks (both or neither)."),
    "DirectoryTestResult": obj({"ok": BOOL, "steps": {"type": "array", "items": obj({"step": STR, "ok": BOOL, "detail": STR})}},
                               description="Each step in order, ok or exactly what failed; ok is false if any step failed."),
    "DirectoryList": list_of("Directory", "Directories, in sign-in order."),
    "SigningKey": obj({"kid": STR, "algorithm": STR, "created_at": DT, "superseded_at": NDT, "current": BOOL}),
    "AuditEvent": obj({
        "id": {"type": "integer"}, "type": STR, "at": DT, "actor": NSTR, "subject": NSTR, "client_id": NSTR,
        "client_address": NSTR, "detail": NSTR, "hash": STR, "prev_hash": STR,
    }),
    "UserList": list_of("User", "Users."),
    "SessionList": list_of("Session", "A user's sessions."),
    "RoleList": list_of("Role", "Roles."),
    "GroupList": list_of("Group", "Groups."),
    "ClientList": list_of("Client", "Clients."),
    "CASServiceList": list_of("CASService", "CAS services."),
    "SigningKeyList": list_of("SigningKey", "Signing keys."),
    "AuditEventList": obj({"items": {"type": "array", "items": ref("AuditEvent")}, "next_cursor": NSTR},
                          description="One page of audit events; next_cursor is null on the last page."),
}


def problem_response(description, www_authenticate=False):
    response = {"description": description}
    if www_authenticate:
        response["headers"] = {"WWW-Authenticate": {"description": 'Bearer realm="sesame"', "schema": STR}}
    response["content"] = {"application/problem+json": {"schema": ref("Problem")}}
    return response


responses = {
    "BadRequest": problem_response("The request is malformed (for example the body is not JSON)."),
    "Unauthorized": problem_response("No credentials, or credentials that are not valid.", www_authenticate=True),
    "Forbidden": problem_response("The credentials lack the sesame:admin scope or the admin role, or the CSRF token is missing."),
    "NotFound": problem_response("No such resource."),
    "Conflict": problem_response("The name (or email) is taken."),
    "UnprocessableEntity": problem_response("A field or parameter has a value that is not allowed; `field` names it."),
    "ServiceUnavailable": problem_response("The directory cannot be reached or read to the end."),
}

parameters = {
    name: {"name": name, "in": "path", "required": True, "description": description, "schema": STR}
    for name, description in [
        ("username", "A username."),
        ("session_id", "A session's id, from the user's session list."),
        ("role", "A role name (an application's own role as app:name)."),
        ("permission", "A permission, such as articles:publish."),
        ("group", "A group name."),
        ("name", "A name."),
    ]
}
parameters["client"] = {"name": "name", "in": "path", "required": True, "description": "The client's name or client_id.", "schema": STR}

audit_query = [
    {"name": "since", "in": "query", "required": False, "description": "Events at or after this time.", "schema": DT},
    {"name": "until", "in": "query", "required": False, "description": "Events before this time.", "schema": DT},
    {"name": "actor", "in": "query", "required": False, "description": "Only events by this actor.", "schema": STR},
    {"name": "subject", "in": "query", "required": False, "description": "Only events about this subject.", "schema": STR},
    {"name": "type", "in": "query", "required": False, "description": "Only events of this type, such as user.created.", "schema": STR},
    {"name": "cursor", "in": "query", "required": False, "description": "The next_cursor of the previous page (opaque).", "schema": STR},
    {"name": "limit", "in": "query", "required": False, "description": "Events per page.",
     "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
]


def param(name):
    return {"$ref": f"#/components/parameters/{name}"}


def body(name):
    return {"required": True, "content": {"application/json": {"schema": ref(name)}}}


def op(op_id, summary, tag, success, schema=None, request=None, item=False, create=False, query=None, public=False):
    operation = {"operationId": op_id, "summary": summary, "tags": [tag]}
    if public:
        operation["security"] = []
    if query:
        operation["parameters"] = query
    if request:
        operation["requestBody"] = body(request)
    if schema:
        ok = {"description": "OK" if success == "200" else "Created", "content": {"application/json": {"schema": schema}}}
    else:
        ok = {"description": "Done."}
    result = {success: ok}
    if not public:
        result["400"] = {"$ref": "#/components/responses/BadRequest"}
        result["401"] = {"$ref": "#/components/responses/Unauthorized"}
        result["403"] = {"$ref": "#/components/responses/Forbidden"}
        if item:
            result["404"] = {"$ref": "#/components/responses/NotFound"}
        if create:
            result["409"] = {"$ref": "#/components/responses/Conflict"}
        result["422"] = {"$ref": "#/components/responses/UnprocessableEntity"}
    operation["responses"] = result
    return operation


def path(params, **operations):
    item = {}
    if params:
        item["parameters"] = [param(p) for p in params]
    item.update(operations)
    return item


paths = {
    "/users": path([],
        get=op("listUsers", "List users", "users", "200", ref("UserList")),
        post=op("createUser", "Add a user", "users", "201", ref("User"), request="UserCreate", create=True)),
    "/users/import": path([],
        post=op("importUsers", "Import users from a users file (all or nothing)", "users", "201", ref("UserList"), request="UsersImport")),
    "/users/{username}": path(["username"],
        get=op("getUser", "Show a user", "users", "200", ref("User"), item=True),
        patch=op("updateUser", "Change a user's email, name or disabled flag", "users", "200", ref("User"), request="UserUpdate", item=True),
        delete=op("deleteUser", "Delete a user", "users", "204", item=True)),
    "/users/{username}/password": path(["username"],
        put=op("setUserPassword", "Set a user's password (ends the user's sessions)", "users", "204", request="PasswordSet", item=True)),
    "/users/{username}/reset-two-factor": path(["username"],
        post=op("resetUserTwoFactor", "Remove a user's authenticator and recovery codes (ends the user's sessions)", "users", "204", item=True)),
    "/users/{username}/require-two-factor": path(["username"],
        put=op("requireUserTwoFactor", "Require two-step verification for a user", "users", "204", item=True),
        delete=op("unrequireUserTwoFactor", "Stop requiring two-step verification for a user", "users", "204", item=True)),
    "/users/{username}/sessions": path(["username"],
        get=op("listUserSessions", "List a user's sessions", "users", "200", ref("SessionList"), item=True),
        delete=op("revokeUserSessions", "End all of a user's sessions", "users", "204", item=True)),
    "/users/{username}/sessions/{session_id}": path(["username", "session_id"],
        delete=op("revokeUserSession", "End one of a user's sessions", "users", "204", item=True)),
    "/users/{username}/roles/{role}": path(["username", "role"],
        put=op("grantUserRole", "Give a user a role", "users", "204", item=True),
        delete=op("revokeUserRole", "Take a role away from a user", "users", "204", item=True)),
    "/roles": path([],
        get=op("listRoles", "List roles", "roles", "200", ref("RoleList")),
        post=op("createRole", "Add a role", "roles", "201", ref("Role"), request="RoleCreate", create=True)),
    "/roles/{role}": path(["role"],
        get=op("getRole", "Show a role", "roles", "200", ref("Role"), item=True),
        delete=op("deleteRole", "Delete a role", "roles", "204", item=True)),
    "/roles/{role}/permissions/{permission}": path(["role", "permission"],
        put=op("addRolePermission", "Let a role grant a permission", "roles", "204", item=True),
        delete=op("removeRolePermission", "Stop a role granting a permission", "roles", "204", item=True)),
    "/roles/{role}/require-two-factor": path(["role"],
        put=op("requireRoleTwoFactor", "Require two-step verification for everyone with a role", "roles", "204"),
        delete=op("unrequireRoleTwoFactor", "Stop requiring two-step verification for a role", "roles", "204")),
    "/groups": path([],
        get=op("listGroups", "List groups", "groups", "200", ref("GroupList")),
        post=op("createGroup", "Add a group", "groups", "201", ref("Group"), request="GroupCreate", create=True)),
    "/groups/{group}": path(["group"],
        get=op("getGroup", "Show a group", "groups", "200", ref("Group"), item=True),
        delete=op("deleteGroup", "Delete a group", "groups", "204", item=True)),
    "/groups/{group}/members/{username}": path(["group", "username"],
        put=op("addGroupMember", "Add a user to a group", "groups", "204", item=True),
        delete=op("removeGroupMember", "Remove a user from a group", "groups", "204", item=True)),
    "/groups/{group}/roles/{role}": path(["group", "role"],
        put=op("addGroupRole", "Give a group's members a role", "groups", "204", item=True),
        delete=op("removeGroupRole", "Stop a group carrying a role", "groups", "204", item=True)),
    "/clients": path([],
        get=op("listClients", "List clients", "clients", "200", ref("ClientList")),
        post=op("createClient", "Register a client", "clients", "201", ref("ClientCreated"), request="ClientCreate", create=True)),
    "/clients/{name}": path(["client"],
        get=op("getClient", "Show a client (by name or client_id)", "clients", "200", ref("Client"), item=True),
        patch=op("updateClient", "Change a client", "clients", "200", ref("Client"), request="ClientUpdate", item=True),
        delete=op("deleteClient", "Delete a client", "clients", "204", item=True)),
    "/clients/{name}/rotate-secret": path(["client"],
        post=op("rotateClientSecret", "Give a client a new secret (the old one stops working)", "clients", "200", ref("ClientSecret"), item=True)),
    "/cas-services": path([],
        get=op("listCASServices", "List CAS services", "cas-services", "200", ref("CASServiceList")),
        post=op("createCASService", "Register a CAS service", "cas-services", "201", ref("CASService"), request="CASServiceCreate", create=True)),
    "/cas-services/{name}": path(["name"],
        get=op("getCASService", "Show a CAS service", "cas-services", "200", ref("CASService"), item=True),
        patch=op("updateCASService", "Change a CAS service", "cas-services", "200", ref("CASService"), request="CASServiceUpdate", item=True),
        delete=op("deleteCASService", "Delete a CAS service", "cas-services", "204", item=True)),
    "/directories": path([],
        get=op("listDirectories", "List directories (LDAP, Active Directory)", "directories", "200", ref("DirectoryList")),
        post=op("createDirectory", "Add a directory", "directories", "201", ref("Directory"), request="DirectoryCreate", create=True)),
    "/directories/{name}": path(["name"],
        get=op("getDirectory", "Show a directory (never its bind password)", "directories", "200", ref("Directory"), item=True),
        patch=op("updateDirectory", "Change a directory; null puts an override back to the profile's default", "directories", "200",
                 ref("Directory"), request="DirectoryUpdate", item=True),
        delete=op("deleteDirectory", "Remove a directory (its users stay)", "directories", "204", item=True)),
    "/directories/{name}/sync": path(["name"],
        post=op("syncDirectory", "Page through the directory: create, update and disable users", "directories", "200", ref("DirectorySync"), item=True)),
    "/directories/{name}/test": path(["name"],
        post=op("testDirectory", "Check each server, and optionally one sign-in", "directories", "200", ref("DirectoryTestResult"),
                request="DirectoryTest", item=True)),
    "/keys": path([],
        get=op("listSigningKeys", "List the token signing keys", "keys", "200", ref("SigningKeyList"))),
    "/keys/rotate": path([],
        post=op("rotateSigningKeys", "Make new current signing keys; returns them", "keys", "200", ref("SigningKeyList"))),
    "/audit-events": path([],
        get=op("listAuditEvents", "Read the audit log, one page at a time", "audit", "200", ref("AuditEventList"), query=audit_query)),
    "/openapi.json": path([],
        get=op("getOpenAPIDocument", "This document", "meta", "200", {"type": "object"}, public=True)),
}

# A sync needs the directory itself, which may be down.
paths["/directories/{name}/sync"]["post"]["responses"]["503"] = {"$ref": "#/components/responses/ServiceUnavailable"}

document = {
    "openapi": "3.1.0",
    "info": {
        "title": "Sesame admin API",
        "version": "1",
        "description": "Manage Sesame's users, roles, groups, clients, CAS services, directories, signing keys and audit log. "
                       "Authenticate with a bearer access token from the client_credentials grant with the sesame:admin scope, "
                       "or with the session cookie of a person who has the global admin role (unsafe methods then also need "
                       "the X-CSRF-Token header). Errors are RFC 9457 problem details.",
    },
    "servers": [{"url": "/admin/api/v1"}],
    "security": [{"bearer": []}, {"session": []}],
    "tags": [{"name": name} for name in ["users", "roles", "groups", "clients", "cas-services", "directories", "keys", "audit", "meta"]],
    "paths": paths,
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                       "description": "An access token from the client_credentials grant whose scope includes sesame:admin."},
            "session": {"type": "apiKey", "in": "cookie", "name": "sesame_session",
                        "description": "The session of a person with the global admin role (the cookie is __Host-sesame_session when the issuer is https); POST, PUT, PATCH and DELETE also need the X-CSRF-Token header."},
        },
        "parameters": parameters,
        "responses": responses,
        "schemas": schemas,
    },
}



def dump(value, indent=0, used=0, width=110):
    """Pretty JSON that keeps small objects and arrays on one line (`used`: columns taken on the first line)."""
    flat = json.dumps(value, ensure_ascii=True)
    if used + len(flat) <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        inner = []
        for key, item in value.items():
            head = f"{pad}{json.dumps(key)}: "
            inner.append(head + dump(item, indent + 2, len(head), width))
        return "{\n" + ",\n".join(inner) + "\n" + " " * indent + "}"
    inner = [pad + dump(item, indent + 2, indent + 2, width) for item in value]
    return "[\n" + ",\n".join(inner) + "\n" + " " * indent + "]"


text = dump(document)
assert json.loads(text) == document
assert '"""#' not in text
swift = (
    "/// The admin API described as OpenAPI 3.1, served at /admin/api/v1/openapi.json and checked in tests.\n"
    "enum OpenAPIDocument {\n"
    '    static let json = #"""\n'
    + "".join("    " + line + "\n" for line in text.splitlines())
    + '    """#\n'
    "}\n"
)
open(sys.argv[1], "w").write(swift)
