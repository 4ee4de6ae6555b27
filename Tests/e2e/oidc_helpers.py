"""A person's browser for the OpenID Connect flows, done with plain HTTP: follow Sesame's
redirects, sign in, consent, and stop at the app's redirect URI."""

import re
from html import unescape
from urllib.parse import urljoin

import requests


HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden_fields(html):
    return {name: unescape(value) for name, value in HIDDEN.findall(html)}


class Person:
    """Follows redirects by hand so it can stop at the app's redirect URI and answer forms."""

    def __init__(self, base, username, password, second_factor=None):
        self.base, self.username, self.password = base, username, password
        self.second_factor = second_factor  # a function returning the code to type, if asked
        self.http = requests.Session()

    def authorize(self, url, consent="allow"):
        """Returns the final redirect to the app (a URL), or the last response if there is none."""
        response = self.http.get(url, allow_redirects=False)
        for _ in range(10):
            if response.status_code in (302, 303):
                location = urljoin(response.url, response.headers["Location"])
                if not location.startswith(self.base):
                    return location
                response = self.http.get(location, allow_redirects=False)
            elif 'id="login-form"' in response.text:
                form = hidden_fields(response.text)
                form.update(username=self.username, password=self.password)
                response = self.http.post(self.base + "/login", data=form, allow_redirects=False)
            elif 'id="two-factor-form"' in response.text and self.second_factor:
                form = hidden_fields(response.text)
                form["code"] = self.second_factor()
                response = self.http.post(self.base + "/login/two-factor", data=form, allow_redirects=False)
            elif 'id="consent-form"' in response.text:
                form = hidden_fields(response.text)
                form["decision"] = consent
                response = self.http.post(self.base + "/authorize/consent", data=form, allow_redirects=False)
            else:
                return response
        raise AssertionError("too many steps")
