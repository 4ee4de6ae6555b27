"""A minimal Authlib authorization server for Benchmarks/peers.sh: the client_credentials grant only.

One confidential client from the environment (PEERS_CLIENT_ID, PEERS_CLIENT_SECRET, PEERS_SCOPE), kept
in memory; HTTP Basic (client_secret_basic) at the token endpoint; access tokens are RFC 9068 JWTs
signed ES256 with the P-256 key in the PEM file PEERS_KEY_FILE, issuer PEERS_ISSUER, one hour. The tokens are
self-contained, so save_token keeps nothing (Sesame's client_credentials token is a signed JWT too).
Run: gunicorn -w 2 -b 127.0.0.1:PORT authlib_server:app
"""
import hmac
import os

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from flask import Flask
from joserfc.jwk import ECKey


class Client(ClientMixin):
    def __init__(self, client_id, secret, scope):
        self.client_id, self.secret, self.scope = client_id, secret, scope

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        if not scope:
            return self.scope
        allowed = set(self.scope.split())
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(self.secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "client_secret_basic"

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type == "client_credentials"


with open(os.environ["PEERS_KEY_FILE"], "rb") as f:
    KEY = ECKey.import_key(f.read(), {"kid": "peers-1", "alg": "ES256", "use": "sig"})
CLIENTS = {os.environ["PEERS_CLIENT_ID"]: Client(
    os.environ["PEERS_CLIENT_ID"], os.environ["PEERS_CLIENT_SECRET"], os.environ.get("PEERS_SCOPE", "api"))}


class TokenGenerator(JWTBearerTokenGenerator):
    def get_jwks(self):
        return KEY


app = Flask(__name__)
server = AuthorizationServer(app, query_client=CLIENTS.get, save_token=lambda token, request: None)
server.register_grant(grants.ClientCredentialsGrant)
server.register_token_generator("default", TokenGenerator(
    issuer=os.environ["PEERS_ISSUER"], alg="ES256", expires_generator=lambda client, grant_type: 3600))


@app.post("/token")
def token():
    return server.create_token_response()
