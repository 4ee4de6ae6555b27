/// The admin API described as OpenAPI 3.1, served at /admin/api/v1/openapi.json and checked in tests.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Sesame admin API",
        "version": "1",
        "description": "Manage Sesame's users, roles, groups, clients, CAS services, directories, signing keys and audit log. Authenticate with a bearer access token from the client_credentials grant with the sesame:admin scope, or with the session cookie of a person who has the global admin role (unsafe methods then also need the X-CSRF-Token header). Errors are RFC 9457 problem details."
      },
      "servers": [{"url": "/admin/api/v1"}],
      "security": [{"bearer": []}, {"session": []}],
      "tags": [
        {"name": "users"},
        {"name": "roles"},
        {"name": "groups"},
        {"name": "clients"},
        {"name": "cas-services"},
        {"name": "directories"},
        {"name": "keys"},
        {"name": "audit"},
        {"name": "meta"}
      ],
      "paths": {
        "/users": {
          "get": {
            "operationId": "listUsers",
            "summary": "List users",
            "tags": ["users"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "post": {
            "operationId": "createUser",
            "summary": "Add a user",
            "tags": ["users"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserCreate"}}}
            },
            "responses": {
              "201": {
                "description": "Created",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/users/import": {
          "post": {
            "operationId": "importUsers",
            "summary": "Import users from a users file (all or nothing)",
            "tags": ["users"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UsersImport"}}}
            },
            "responses": {
              "201": {
                "description": "Created",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/users/{username}": {
          "parameters": [{"$ref": "#/components/parameters/username"}],
          "get": {
            "operationId": "getUser",
            "summary": "Show a user",
            "tags": ["users"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "patch": {
            "operationId": "updateUser",
            "summary": "Change a user's email, name or disabled flag",
            "tags": ["users"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserUpdate"}}}
            },
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "deleteUser",
            "summary": "Delete a user",
            "tags": ["users"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/users/{username}/password": {
          "parameters": [{"$ref": "#/components/parameters/username"}],
          "put": {
            "operationId": "setUserPassword",
            "summary": "Set a user's password (ends the user's sessions)",
            "tags": ["users"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PasswordSet"}}}
            },
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/users/{username}/reset-two-factor": {
          "parameters": [{"$ref": "#/components/parameters/username"}],
          "post": {
            "operationId": "resetUserTwoFactor",
            "summary": "Remove a user's authenticator and recovery codes (ends the user's sessions)",
            "tags": ["users"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/users/{username}/require-two-factor": {
          "parameters": [{"$ref": "#/components/parameters/username"}],
          "put": {
            "operationId": "requireUserTwoFactor",
            "summary": "Require two-step verification for a user",
            "tags": ["users"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "unrequireUserTwoFactor",
            "summary": "Stop requiring two-step verification for a user",
            "tags": ["users"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/users/{username}/sessions": {
          "parameters": [{"$ref": "#/components/parameters/username"}],
          "get": {
            "operationId": "listUserSessions",
            "summary": "List a user's sessions",
            "tags": ["users"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SessionList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "revokeUserSessions",
            "summary": "End all of a user's sessions",
            "tags": ["users"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/users/{username}/sessions/{session_id}": {
          "parameters": [
            {"$ref": "#/components/parameters/username"},
            {"$ref": "#/components/parameters/session_id"}
          ],
          "delete": {
            "operationId": "revokeUserSession",
            "summary": "End one of a user's sessions",
            "tags": ["users"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/users/{username}/roles/{role}": {
          "parameters": [{"$ref": "#/components/parameters/username"}, {"$ref": "#/components/parameters/role"}],
          "put": {
            "operationId": "grantUserRole",
            "summary": "Give a user a role",
            "tags": ["users"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "revokeUserRole",
            "summary": "Take a role away from a user",
            "tags": ["users"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/roles": {
          "get": {
            "operationId": "listRoles",
            "summary": "List roles",
            "tags": ["roles"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RoleList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "post": {
            "operationId": "createRole",
            "summary": "Add a role",
            "tags": ["roles"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RoleCreate"}}}
            },
            "responses": {
              "201": {
                "description": "Created",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Role"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/roles/{role}": {
          "parameters": [{"$ref": "#/components/parameters/role"}],
          "get": {
            "operationId": "getRole",
            "summary": "Show a role",
            "tags": ["roles"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Role"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "deleteRole",
            "summary": "Delete a role",
            "tags": ["roles"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/roles/{role}/permissions/{permission}": {
          "parameters": [{"$ref": "#/components/parameters/role"}, {"$ref": "#/components/parameters/permission"}],
          "put": {
            "operationId": "addRolePermission",
            "summary": "Let a role grant a permission",
            "tags": ["roles"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "removeRolePermission",
            "summary": "Stop a role granting a permission",
            "tags": ["roles"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/roles/{role}/require-two-factor": {
          "parameters": [{"$ref": "#/components/parameters/role"}],
          "put": {
            "operationId": "requireRoleTwoFactor",
            "summary": "Require two-step verification for everyone with a role",
            "tags": ["roles"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "unrequireRoleTwoFactor",
            "summary": "Stop requiring two-step verification for a role",
            "tags": ["roles"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/groups": {
          "get": {
            "operationId": "listGroups",
            "summary": "List groups",
            "tags": ["groups"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "post": {
            "operationId": "createGroup",
            "summary": "Add a group",
            "tags": ["groups"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupCreate"}}}
            },
            "responses": {
              "201": {
                "description": "Created",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/groups/{group}": {
          "parameters": [{"$ref": "#/components/parameters/group"}],
          "get": {
            "operationId": "getGroup",
            "summary": "Show a group",
            "tags": ["groups"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "deleteGroup",
            "summary": "Delete a group",
            "tags": ["groups"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/groups/{group}/members/{username}": {
          "parameters": [{"$ref": "#/components/parameters/group"}, {"$ref": "#/components/parameters/username"}],
          "put": {
            "operationId": "addGroupMember",
            "summary": "Add a user to a group",
            "tags": ["groups"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "removeGroupMember",
            "summary": "Remove a user from a group",
            "tags": ["groups"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/groups/{group}/roles/{role}": {
          "parameters": [{"$ref": "#/components/parameters/group"}, {"$ref": "#/components/parameters/role"}],
          "put": {
            "operationId": "addGroupRole",
            "summary": "Give a group's members a role",
            "tags": ["groups"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "removeGroupRole",
            "summary": "Stop a group carrying a role",
            "tags": ["groups"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/clients": {
          "get": {
            "operationId": "listClients",
            "summary": "List clients",
            "tags": ["clients"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClientList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "post": {
            "operationId": "createClient",
            "summary": "Register a client",
            "tags": ["clients"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClientCreate"}}}
            },
            "responses": {
              "201": {
                "description": "Created",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClientCreated"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/clients/{name}": {
          "parameters": [{"$ref": "#/components/parameters/client"}],
          "get": {
            "operationId": "getClient",
            "summary": "Show a client (by name or client_id)",
            "tags": ["clients"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Client"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "patch": {
            "operationId": "updateClient",
            "summary": "Change a client",
            "tags": ["clients"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClientUpdate"}}}
            },
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Client"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "deleteClient",
            "summary": "Delete a client",
            "tags": ["clients"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/clients/{name}/rotate-secret": {
          "parameters": [{"$ref": "#/components/parameters/client"}],
          "post": {
            "operationId": "rotateClientSecret",
            "summary": "Give a client a new secret (the old one stops working)",
            "tags": ["clients"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClientSecret"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/cas-services": {
          "get": {
            "operationId": "listCASServices",
            "summary": "List CAS services",
            "tags": ["cas-services"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CASServiceList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "post": {
            "operationId": "createCASService",
            "summary": "Register a CAS service",
            "tags": ["cas-services"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CASServiceCreate"}}}
            },
            "responses": {
              "201": {
                "description": "Created",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CASService"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/cas-services/{name}": {
          "parameters": [{"$ref": "#/components/parameters/name"}],
          "get": {
            "operationId": "getCASService",
            "summary": "Show a CAS service",
            "tags": ["cas-services"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CASService"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "patch": {
            "operationId": "updateCASService",
            "summary": "Change a CAS service",
            "tags": ["cas-services"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CASServiceUpdate"}}}
            },
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CASService"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "deleteCASService",
            "summary": "Delete a CAS service",
            "tags": ["cas-services"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/directories": {
          "get": {
            "operationId": "listDirectories",
            "summary": "List directories (LDAP, Active Directory)",
            "tags": ["directories"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DirectoryList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "post": {
            "operationId": "createDirectory",
            "summary": "Add a directory",
            "tags": ["directories"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DirectoryCreate"}}}
            },
            "responses": {
              "201": {
                "description": "Created",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Directory"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/directories/{name}": {
          "parameters": [{"$ref": "#/components/parameters/name"}],
          "get": {
            "operationId": "getDirectory",
            "summary": "Show a directory (never its bind password)",
            "tags": ["directories"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Directory"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "patch": {
            "operationId": "updateDirectory",
            "summary": "Change a directory; null puts an override back to the profile's default",
            "tags": ["directories"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DirectoryUpdate"}}}
            },
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Directory"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          },
          "delete": {
            "operationId": "deleteDirectory",
            "summary": "Remove a directory (its users stay)",
            "tags": ["directories"],
            "responses": {
              "204": {"description": "Done."},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/directories/{name}/sync": {
          "parameters": [{"$ref": "#/components/parameters/name"}],
          "post": {
            "operationId": "syncDirectory",
            "summary": "Page through the directory: create, update and disable users",
            "tags": ["directories"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DirectorySync"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"},
              "503": {"$ref": "#/components/responses/ServiceUnavailable"}
            }
          }
        },
        "/directories/{name}/test": {
          "parameters": [{"$ref": "#/components/parameters/name"}],
          "post": {
            "operationId": "testDirectory",
            "summary": "Check each server, and optionally one sign-in",
            "tags": ["directories"],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DirectoryTest"}}}
            },
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DirectoryTestResult"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/keys": {
          "get": {
            "operationId": "listSigningKeys",
            "summary": "List the token signing keys",
            "tags": ["keys"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SigningKeyList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/keys/rotate": {
          "post": {
            "operationId": "rotateSigningKeys",
            "summary": "Make new current signing keys; returns them",
            "tags": ["keys"],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SigningKeyList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/audit-events": {
          "get": {
            "operationId": "listAuditEvents",
            "summary": "Read the audit log, one page at a time",
            "tags": ["audit"],
            "parameters": [
              {
                "name": "since",
                "in": "query",
                "required": false,
                "description": "Events at or after this time.",
                "schema": {"type": "string", "format": "date-time"}
              },
              {
                "name": "until",
                "in": "query",
                "required": false,
                "description": "Events before this time.",
                "schema": {"type": "string", "format": "date-time"}
              },
              {
                "name": "actor",
                "in": "query",
                "required": false,
                "description": "Only events by this actor.",
                "schema": {"type": "string"}
              },
              {
                "name": "subject",
                "in": "query",
                "required": false,
                "description": "Only events about this subject.",
                "schema": {"type": "string"}
              },
              {
                "name": "type",
                "in": "query",
                "required": false,
                "description": "Only events of this type, such as user.created.",
                "schema": {"type": "string"}
              },
              {
                "name": "cursor",
                "in": "query",
                "required": false,
                "description": "The next_cursor of the previous page (opaque).",
                "schema": {"type": "string"}
              },
              {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "Events per page.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
              }
            ],
            "responses": {
              "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditEventList"}}}
              },
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/UnprocessableEntity"}
            }
          }
        },
        "/openapi.json": {
          "get": {
            "operationId": "getOpenAPIDocument",
            "summary": "This document",
            "tags": ["meta"],
            "security": [],
            "responses": {
              "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
            }
          }
        }
      },
      "components": {
        "securitySchemes": {
          "bearer": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An access token from the client_credentials grant whose scope includes sesame:admin."
          },
          "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": "sesame_session",
            "description": "The session of a person with the global admin role (the cookie is __Host-sesame_session when the issuer is https); POST, PUT, PATCH and DELETE also need the X-CSRF-Token header."
          }
        },
        "parameters": {
          "username": {
            "name": "username",
            "in": "path",
            "required": true,
            "description": "A username.",
            "schema": {"type": "string"}
          },
          "session_id": {
            "name": "session_id",
            "in": "path",
            "required": true,
            "description": "A session's id, from the user's session list.",
            "schema": {"type": "string"}
          },
          "role": {
            "name": "role",
            "in": "path",
            "required": true,
            "description": "A role name (an application's own role as app:name).",
            "schema": {"type": "string"}
          },
          "permission": {
            "name": "permission",
            "in": "path",
            "required": true,
            "description": "A permission, such as articles:publish.",
            "schema": {"type": "string"}
          },
          "group": {
            "name": "group",
            "in": "path",
            "required": true,
            "description": "A group name.",
            "schema": {"type": "string"}
          },
          "name": {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "A name.",
            "schema": {"type": "string"}
          },
          "client": {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The client's name or client_id.",
            "schema": {"type": "string"}
          }
        },
        "responses": {
          "BadRequest": {
            "description": "The request is malformed (for example the body is not JSON).",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          },
          "Unauthorized": {
            "description": "No credentials, or credentials that are not valid.",
            "headers": {
              "WWW-Authenticate": {"description": "Bearer realm=\"sesame\"", "schema": {"type": "string"}}
            },
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          },
          "Forbidden": {
            "description": "The credentials lack the sesame:admin scope or the admin role, or the CSRF token is missing.",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          },
          "NotFound": {
            "description": "No such resource.",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          },
          "Conflict": {
            "description": "The name (or email) is taken.",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          },
          "UnprocessableEntity": {
            "description": "A field or parameter has a value that is not allowed; `field` names it.",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          },
          "ServiceUnavailable": {
            "description": "The directory cannot be reached or read to the end.",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          }
        },
        "schemas": {
          "Problem": {
            "type": "object",
            "description": "An RFC 9457 problem detail.",
            "properties": {
              "type": {"type": "string", "description": "about:blank or https://sesame.dev/problems/<slug>"},
              "title": {"type": "string"},
              "status": {"type": "integer"},
              "detail": {"type": "string"},
              "field": {"type": "string", "description": "The request field or parameter that was wrong."}
            },
            "required": ["type", "title", "status", "detail"]
          },
          "User": {
            "type": "object",
            "properties": {
              "id": {"type": "string"},
              "username": {"type": "string"},
              "email": {"type": ["string", "null"]},
              "name": {"type": ["string", "null"]},
              "disabled": {"type": "boolean"},
              "groups": {"type": "array", "items": {"type": "string"}},
              "roles": {"type": "array", "items": {"type": "string"}},
              "effective_roles": {"type": "array", "items": {"type": "string"}},
              "two_factor": {"type": "boolean"},
              "password_scheme": {
                "type": ["string", "null"],
                "description": "How the password is hashed (scrypt, or an imported scheme until the next sign-in); never the hash. null for a person without a local password."
              },
              "created_at": {"type": "string", "format": "date-time"},
              "updated_at": {"type": "string", "format": "date-time"}
            },
            "required": [
              "id",
              "username",
              "email",
              "name",
              "disabled",
              "groups",
              "roles",
              "effective_roles",
              "two_factor",
              "password_scheme",
              "created_at",
              "updated_at"
            ]
          },
          "UserCreate": {
            "type": "object",
            "properties": {
              "username": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9._-]+$"},
              "password": {
                "type": ["string", "null"],
                "minLength": 8,
                "maxLength": 1024,
                "description": "null: no local password; another configured authenticator signs the person in."
              },
              "email": {"type": ["string", "null"]},
              "name": {"type": ["string", "null"]}
            },
            "required": ["username", "password"],
            "additionalProperties": false
          },
          "UsersImport": {
            "type": "object",
            "properties": {
              "users": {
                "type": "string",
                "description": "A users file: `username:password[:group] [role ...]` per line, the password in clear or as a supported hash; blank lines and # comments skipped. All or nothing."
              }
            },
            "required": ["users"],
            "additionalProperties": false
          },
          "UserUpdate": {
            "type": "object",
            "properties": {
              "email": {"type": ["string", "null"]},
              "name": {"type": ["string", "null"]},
              "disabled": {"type": "boolean"}
            },
            "additionalProperties": false
          },
          "PasswordSet": {
            "type": "object",
            "properties": {"password": {"type": "string", "minLength": 8, "maxLength": 1024}},
            "required": ["password"],
            "additionalProperties": false
          },
          "Session": {
            "type": "object",
            "properties": {
              "id": {"type": "string"},
              "created_at": {"type": "string", "format": "date-time"},
              "last_seen_at": {"type": "string", "format": "date-time"},
              "authenticated_at": {"type": "string", "format": "date-time"},
              "auth_methods": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["id", "created_at", "last_seen_at", "authenticated_at", "auth_methods"]
          },
          "Role": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "app": {"type": ["string", "null"]},
              "description": {"type": ["string", "null"]},
              "permissions": {"type": "array", "items": {"type": "string"}},
              "created_at": {"type": "string", "format": "date-time"}
            },
            "required": ["name", "app", "description", "permissions", "created_at"]
          },
          "RoleCreate": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "app": {"type": ["string", "null"]},
              "description": {"type": ["string", "null"]},
              "permissions": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["name"],
            "additionalProperties": false
          },
          "Group": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "description": {"type": ["string", "null"]},
              "roles": {"type": "array", "items": {"type": "string"}},
              "members": {"type": "array", "items": {"type": "string"}},
              "created_at": {"type": "string", "format": "date-time"}
            },
            "required": ["name", "description", "roles", "members", "created_at"]
          },
          "GroupCreate": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "description": {"type": ["string", "null"]},
              "roles": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["name"],
            "additionalProperties": false
          },
          "Client": {
            "type": "object",
            "properties": {
              "client_id": {"type": "string"},
              "name": {"type": "string"},
              "display_name": {"type": ["string", "null"]},
              "redirect_uris": {"type": "array", "items": {"type": "string"}},
              "post_logout_redirect_uris": {"type": "array", "items": {"type": "string"}},
              "grant_types": {"type": "array", "items": {"type": "string"}},
              "scopes": {"type": "array", "items": {"type": "string"}},
              "token_endpoint_auth_method": {"type": "string"},
              "first_party": {"type": "boolean"},
              "require_two_factor": {"type": "boolean"},
              "resource_server": {
                "type": "boolean",
                "description": "An API that may introspect other clients' access tokens."
              },
              "required_roles": {"type": "array", "items": {"type": "string"}},
              "required_groups": {"type": "array", "items": {"type": "string"}},
              "claims": {"type": "array", "items": {"type": "string"}},
              "id_token_signed_response_alg": {"type": "string", "enum": ["ES256", "RS256"]},
              "jwks_uri": {"type": ["string", "null"]},
              "frontchannel_logout_uri": {"type": ["string", "null"]},
              "backchannel_logout_uri": {"type": ["string", "null"]},
              "created_at": {"type": "string", "format": "date-time"}
            },
            "required": [
              "client_id",
              "name",
              "display_name",
              "redirect_uris",
              "post_logout_redirect_uris",
              "grant_types",
              "scopes",
              "token_endpoint_auth_method",
              "first_party",
              "require_two_factor",
              "resource_server",
              "required_roles",
              "required_groups",
              "claims",
              "id_token_signed_response_alg",
              "jwks_uri",
              "frontchannel_logout_uri",
              "backchannel_logout_uri",
              "created_at"
            ]
          },
          "ClientCreated": {
            "type": "object",
            "description": "A client just registered, with its secret (null for clients without one).",
            "properties": {
              "client_id": {"type": "string"},
              "name": {"type": "string"},
              "display_name": {"type": ["string", "null"]},
              "redirect_uris": {"type": "array", "items": {"type": "string"}},
              "post_logout_redirect_uris": {"type": "array", "items": {"type": "string"}},
              "grant_types": {"type": "array", "items": {"type": "string"}},
              "scopes": {"type": "array", "items": {"type": "string"}},
              "token_endpoint_auth_method": {"type": "string"},
              "first_party": {"type": "boolean"},
              "require_two_factor": {"type": "boolean"},
              "resource_server": {
                "type": "boolean",
                "description": "An API that may introspect other clients' access tokens."
              },
              "required_roles": {"type": "array", "items": {"type": "string"}},
              "required_groups": {"type": "array", "items": {"type": "string"}},
              "claims": {"type": "array", "items": {"type": "string"}},
              "id_token_signed_response_alg": {"type": "string", "enum": ["ES256", "RS256"]},
              "jwks_uri": {"type": ["string", "null"]},
              "frontchannel_logout_uri": {"type": ["string", "null"]},
              "backchannel_logout_uri": {"type": ["string", "null"]},
              "created_at": {"type": "string", "format": "date-time"},
              "client_secret": {"type": ["string", "null"], "description": "Shown once."}
            },
            "required": [
              "client_id",
              "name",
              "display_name",
              "redirect_uris",
              "post_logout_redirect_uris",
              "grant_types",
              "scopes",
              "token_endpoint_auth_method",
              "first_party",
              "require_two_factor",
              "resource_server",
              "required_roles",
              "required_groups",
              "claims",
              "id_token_signed_response_alg",
              "jwks_uri",
              "frontchannel_logout_uri",
              "backchannel_logout_uri",
              "created_at",
              "client_secret"
            ]
          },
          "ClientCreate": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "redirect_uris": {"type": "array", "items": {"type": "string"}},
              "post_logout_redirect_uris": {"type": "array", "items": {"type": "string"}},
              "grant_types": {"type": "array", "items": {"type": "string"}},
              "scopes": {"type": "array", "items": {"type": "string"}},
              "token_endpoint_auth_method": {"type": "string"},
              "first_party": {"type": "boolean"},
              "require_two_factor": {"type": "boolean"},
              "resource_server": {
                "type": "boolean",
                "description": "An API that may introspect other clients' access tokens."
              },
              "required_roles": {"type": "array", "items": {"type": "string"}},
              "required_groups": {"type": "array", "items": {"type": "string"}},
              "claims": {"type": "array", "items": {"type": "string"}},
              "id_token_signed_response_alg": {"type": "string", "enum": ["ES256", "RS256"]},
              "jwks_uri": {
                "type": "string",
                "description": "https URL of the client's JWK Set, for private_key_jwt."
              },
              "jwks": {
                "type": "string",
                "description": "The client's JWK Set as JSON text ({\"keys\": [...]}), for private_key_jwt."
              },
              "frontchannel_logout_uri": {
                "type": ["string", "null"],
                "description": "Front-channel logout URL of the app; null removes it."
              },
              "display_name": {
                "type": "string",
                "description": "What people see, e.g. on the consent page (\"Team Wiki\"); \"\" falls back to the name."
              },
              "backchannel_logout_uri": {
                "type": ["string", "null"],
                "description": "Back-channel logout URL of the app (https, or http on loopback): Sesame POSTs a signed logout token there when a session that signed in to the app ends; null removes it."
              }
            },
            "required": ["name"],
            "additionalProperties": false
          },
          "ClientUpdate": {
            "type": "object",
            "properties": {
              "redirect_uris": {"type": "array", "items": {"type": "string"}},
              "post_logout_redirect_uris": {"type": "array", "items": {"type": "string"}},
              "grant_types": {"type": "array", "items": {"type": "string"}},
              "scopes": {"type": "array", "items": {"type": "string"}},
              "token_endpoint_auth_method": {"type": "string"},
              "first_party": {"type": "boolean"},
              "require_two_factor": {"type": "boolean"},
              "resource_server": {
                "type": "boolean",
                "description": "An API that may introspect other clients' access tokens."
              },
              "required_roles": {"type": "array", "items": {"type": "string"}},
              "required_groups": {"type": "array", "items": {"type": "string"}},
              "claims": {"type": "array", "items": {"type": "string"}},
              "id_token_signed_response_alg": {"type": "string", "enum": ["ES256", "RS256"]},
              "jwks_uri": {
                "type": "string",
                "description": "https URL of the client's JWK Set, for private_key_jwt."
              },
              "jwks": {
                "type": "string",
                "description": "The client's JWK Set as JSON text ({\"keys\": [...]}), for private_key_jwt."
              },
              "frontchannel_logout_uri": {
                "type": ["string", "null"],
                "description": "Front-channel logout URL of the app; null removes it."
              },
              "display_name": {
                "type": "string",
                "description": "What people see, e.g. on the consent page (\"Team Wiki\"); \"\" falls back to the name."
              },
              "backchannel_logout_uri": {
                "type": ["string", "null"],
                "description": "Back-channel logout URL of the app (https, or http on loopback): Sesame POSTs a signed logout token there when a session that signed in to the app ends; null removes it."
              }
            },
            "additionalProperties": false
          },
          "CASService": {
            "type": "object",
            "properties": {
              "id": {"type": "string"},
              "name": {"type": "string"},
              "pattern": {"type": "string"},
              "attributes": {"type": "array", "items": {"type": "string"}},
              "require_two_factor": {"type": "boolean"},
              "required_roles": {"type": "array", "items": {"type": "string"}},
              "required_groups": {"type": "array", "items": {"type": "string"}},
              "allowed_proxies": {"type": "array", "items": {"type": "string"}},
              "created_at": {"type": "string", "format": "date-time"},
              "proxy_callback_pattern": {"type": ["string", "null"]},
              "logout_url": {"type": ["string", "null"]}
            },
            "required": [
              "id",
              "name",
              "pattern",
              "attributes",
              "require_two_factor",
              "required_roles",
              "required_groups",
              "allowed_proxies",
              "created_at",
              "proxy_callback_pattern",
              "logout_url"
            ]
          },
          "CASServiceCreate": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "pattern": {"type": "string"},
              "attributes": {"type": "array", "items": {"type": "string"}},
              "require_two_factor": {"type": "boolean"},
              "required_roles": {"type": "array", "items": {"type": "string"}},
              "required_groups": {"type": "array", "items": {"type": "string"}},
              "allowed_proxies": {"type": "array", "items": {"type": "string"}},
              "proxy_callback_pattern": {"type": "string"},
              "logout_url": {"type": "string"}
            },
            "required": ["name", "pattern"],
            "additionalProperties": false
          },
          "CASServiceUpdate": {
            "type": "object",
            "properties": {
              "pattern": {"type": "string"},
              "attributes": {"type": "array", "items": {"type": "string"}},
              "require_two_factor": {"type": "boolean"},
              "required_roles": {"type": "array", "items": {"type": "string"}},
              "required_groups": {"type": "array", "items": {"type": "string"}},
              "allowed_proxies": {"type": "array", "items": {"type": "string"}},
              "proxy_callback_pattern": {"type": ["string", "null"], "description": "null removes it."},
              "logout_url": {
                "type": ["string", "null"],
                "description": "null: single log-out goes to the service URL."
              }
            },
            "additionalProperties": false
          },
          "ClientSecret": {
            "type": "object",
            "description": "A new client secret, shown once.",
            "properties": {"client_id": {"type": "string"}, "client_secret": {"type": "string"}},
            "required": ["client_id", "client_secret"]
          },
          "Directory": {
            "type": "object",
            "description": "A directory as in force (the profile's defaults filled in). The bind password is write-only and never shown.",
            "properties": {
              "name": {"type": "string"},
              "profile": {"type": "string", "enum": ["active-directory", "openldap", "generic"]},
              "urls": {"type": "array", "items": {"type": "string"}},
              "bind_dn": {"type": "string"},
              "base_dn": {"type": "string"},
              "user_filter": {"type": "string"},
              "list_filter": {"type": "string"},
              "login_attributes": {"type": "array", "items": {"type": "string"}},
              "attribute_map": {
                "type": "object",
                "properties": {
                  "username": {"type": "string"},
                  "email": {"type": "string"},
                  "name": {"type": "string"},
                  "immutable_id": {"type": "string"},
                  "immutable_id_format": {"type": "string", "enum": ["text", "guid"]}
                },
                "required": ["username", "email", "name", "immutable_id", "immutable_id_format"]
              },
              "groups": {
                "type": "object",
                "properties": {
                  "member_of": {"type": "boolean"},
                  "search_base": {"type": ["string", "null"]},
                  "search_filter": {"type": ["string", "null"]},
                  "member_uid_filter": {"type": ["string", "null"]},
                  "name_attribute": {"type": "string"},
                  "nesting": {"type": "string", "enum": ["in-chain", "expand", "off"]},
                  "max_depth": {"type": "integer"},
                  "primary_group": {"type": "boolean"}
                },
                "required": [
                  "member_of",
                  "search_base",
                  "search_filter",
                  "member_uid_filter",
                  "name_attribute",
                  "nesting",
                  "max_depth",
                  "primary_group"
                ]
              },
              "group_rules": {"type": "array", "items": {"$ref": "#/components/schemas/DirectoryGroupRule"}},
              "start_tls": {"type": "boolean"},
              "ca_file": {"type": ["string", "null"]},
              "verify_certificates": {"type": "boolean"},
              "connect_timeout": {"type": "number"},
              "operation_timeout": {"type": "number"},
              "pool_size": {"type": "integer"},
              "position": {"type": "integer"},
              "enabled": {"type": "boolean"}
            },
            "required": [
              "name",
              "profile",
              "urls",
              "bind_dn",
              "base_dn",
              "user_filter",
              "list_filter",
              "login_attributes",
              "attribute_map",
              "groups",
              "group_rules",
              "start_tls",
              "ca_file",
              "verify_certificates",
              "connect_timeout",
              "operation_timeout",
              "pool_size",
              "position",
              "enabled"
            ]
          },
          "DirectoryGroupRule": {
            "type": "object",
            "properties": {
              "match": {"type": "string", "description": "A group's DN, or its name (cn)."},
              "groups": {"type": "array", "items": {"type": "string"}},
              "roles": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["match"]
          },
          "DirectoryCreate": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "urls": {
                "type": "array",
                "items": {"type": "string"},
                "description": "ldaps://host[:port] or ldap://host[:port], tried in order."
              },
              "bind_dn": {"type": "string"},
              "bind_password": {
                "type": "string",
                "writeOnly": true,
                "description": "The service account's password; never shown."
              },
              "base_dn": {"type": "string"},
              "profile": {"type": "string", "enum": ["active-directory", "openldap", "generic"]},
              "user_filter": {"type": ["string", "null"], "description": "With {login}; null: the profile's."},
              "list_filter": {
                "type": ["string", "null"],
                "description": "Everyone, for a sync; null: the profile's."
              },
              "login_attributes": {
                "type": ["array", "null"],
                "items": {"type": "string"},
                "description": "null: the profile's."
              },
              "group_search_base": {"type": ["string", "null"], "description": "null: the base DN."},
              "group_filter": {
                "type": ["string", "null"],
                "description": "The groups holding a person, with {dn}; null: none."
              },
              "nesting": {"type": "string", "enum": ["in-chain", "expand", "off"]},
              "group_rules": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/DirectoryGroupRule"},
                "description": "Replaces the rules."
              },
              "start_tls": {"type": "boolean"},
              "ca_file": {
                "type": ["string", "null"],
                "description": "PEM CA file; null: the system's trust store."
              },
              "verify_certificates": {"type": "boolean", "description": "false for tests only."},
              "connect_timeout": {"type": "number"},
              "operation_timeout": {"type": "number"},
              "pool_size": {"type": "integer"},
              "position": {"type": "integer"},
              "enabled": {"type": "boolean"}
            },
            "required": ["name", "urls", "bind_dn", "bind_password", "base_dn", "profile"],
            "additionalProperties": false
          },
          "DirectoryUpdate": {
            "type": "object",
            "properties": {
              "urls": {
                "type": "array",
                "items": {"type": "string"},
                "description": "ldaps://host[:port] or ldap://host[:port], tried in order."
              },
              "bind_dn": {"type": "string"},
              "bind_password": {
                "type": "string",
                "writeOnly": true,
                "description": "The service account's password; never shown."
              },
              "base_dn": {"type": "string"},
              "profile": {"type": "string", "enum": ["active-directory", "openldap", "generic"]},
              "user_filter": {"type": ["string", "null"], "description": "With {login}; null: the profile's."},
              "list_filter": {
                "type": ["string", "null"],
                "description": "Everyone, for a sync; null: the profile's."
              },
              "login_attributes": {
                "type": ["array", "null"],
                "items": {"type": "string"},
                "description": "null: the profile's."
              },
              "group_search_base": {"type": ["string", "null"], "description": "null: the base DN."},
              "group_filter": {
                "type": ["string", "null"],
                "description": "The groups holding a person, with {dn}; null: none."
              },
              "nesting": {"type": "string", "enum": ["in-chain", "expand", "off"]},
              "group_rules": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/DirectoryGroupRule"},
                "description": "Replaces the rules."
              },
              "start_tls": {"type": "boolean"},
              "ca_file": {
                "type": ["string", "null"],
                "description": "PEM CA file; null: the system's trust store."
              },
              "verify_certificates": {"type": "boolean", "description": "false for tests only."},
              "connect_timeout": {"type": "number"},
              "operation_timeout": {"type": "number"},
              "pool_size": {"type": "integer"},
              "position": {"type": "integer"},
              "enabled": {"type": "boolean"}
            },
            "additionalProperties": false
          },
          "DirectorySync": {
            "type": "object",
            "description": "What a sync did.",
            "properties": {
              "created": {"type": "integer"},
              "updated": {"type": "integer"},
              "disabled": {"type": "integer"},
              "unchanged": {"type": "integer"}
            },
            "required": ["created", "updated", "disabled", "unchanged"]
          },
          "DirectoryTest": {
            "type": "object",
            "description": "Optionally a sign-in to try after the connection checks (both or neither).",
            "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
            "additionalProperties": false
          },
          "DirectoryTestResult": {
            "type": "object",
            "description": "Each step in order, ok or exactly what failed; ok is false if any step failed.",
            "properties": {
              "ok": {"type": "boolean"},
              "steps": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "step": {"type": "string"},
                    "ok": {"type": "boolean"},
                    "detail": {"type": "string"}
                  },
                  "required": ["step", "ok", "detail"]
                }
              }
            },
            "required": ["ok", "steps"]
          },
          "DirectoryList": {
            "type": "object",
            "description": "Directories, in sign-in order.",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Directory"}}},
            "required": ["items"]
          },
          "SigningKey": {
            "type": "object",
            "properties": {
              "kid": {"type": "string"},
              "algorithm": {"type": "string"},
              "created_at": {"type": "string", "format": "date-time"},
              "superseded_at": {"type": ["string", "null"], "format": "date-time"},
              "current": {"type": "boolean"}
            },
            "required": ["kid", "algorithm", "created_at", "superseded_at", "current"]
          },
          "AuditEvent": {
            "type": "object",
            "properties": {
              "id": {"type": "integer"},
              "type": {"type": "string"},
              "at": {"type": "string", "format": "date-time"},
              "actor": {"type": ["string", "null"]},
              "subject": {"type": ["string", "null"]},
              "client_id": {"type": ["string", "null"]},
              "client_address": {"type": ["string", "null"]},
              "detail": {"type": ["string", "null"]},
              "hash": {"type": "string"},
              "prev_hash": {"type": "string"}
            },
            "required": [
              "id",
              "type",
              "at",
              "actor",
              "subject",
              "client_id",
              "client_address",
              "detail",
              "hash",
              "prev_hash"
            ]
          },
          "UserList": {
            "type": "object",
            "description": "Users.",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}},
            "required": ["items"]
          },
          "SessionList": {
            "type": "object",
            "description": "A user's sessions.",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}}},
            "required": ["items"]
          },
          "RoleList": {
            "type": "object",
            "description": "Roles.",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Role"}}},
            "required": ["items"]
          },
          "GroupList": {
            "type": "object",
            "description": "Groups.",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Group"}}},
            "required": ["items"]
          },
          "ClientList": {
            "type": "object",
            "description": "Clients.",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Client"}}},
            "required": ["items"]
          },
          "CASServiceList": {
            "type": "object",
            "description": "CAS services.",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/CASService"}}},
            "required": ["items"]
          },
          "SigningKeyList": {
            "type": "object",
            "description": "Signing keys.",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/SigningKey"}}},
            "required": ["items"]
          },
          "AuditEventList": {
            "type": "object",
            "description": "One page of audit events; next_cursor is null on the last page.",
            "properties": {
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEvent"}},
              "next_cursor": {"type": ["string", "null"]}
            },
            "required": ["items", "next_cursor"]
          }
        }
      }
    }
    """#
}
