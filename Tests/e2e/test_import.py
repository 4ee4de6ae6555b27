"""Users imported with hashes made by Python's own libraries sign in, and come out re-hashed with scrypt."""

import bcrypt
from passlib.hash import bcrypt as passlib_bcrypt, django_pbkdf2_sha256, pbkdf2_sha256

from conftest import sign_in


def hashes():
    return {
        "pybcrypt": ("py-bcrypt-pw", lambda pw: bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=5)).decode(), "$2b$"),
        "php2y": ("php-2y-pw", lambda pw: passlib_bcrypt.using(ident="2y", rounds=5).hash(pw), "$2y$"),
        "old2a": ("old-2a-pw", lambda pw: passlib_bcrypt.using(ident="2a", rounds=5).hash(pw), "$2a$"),
        "passlib": ("passlib-pw", lambda pw: pbkdf2_sha256.using(rounds=2000).hash(pw), "$pbkdf2-sha256$"),
        "django": ("django-pw", lambda pw: django_pbkdf2_sha256.using(rounds=2000).hash(pw), "pbkdf2_sha256$"),
    }


EXPECTED_SCHEME = {"pybcrypt": "bcrypt", "php2y": "bcrypt", "old2a": "bcrypt", "passlib": "pbkdf2_sha256",
                   "django": "django_pbkdf2_sha256"}


def test_imported_hashes_sign_in_and_are_rehashed(sesame, tmp_path):
    lines = ["# made by passlib and bcrypt", "plain:plain-pw:staff editor admin", ""]
    for username, (password, make, prefix) in hashes().items():
        hashed = make(password)
        assert hashed.startswith(prefix)
        lines.append(f"{username}:{hashed}")
    users_file = tmp_path / "users.txt"
    users_file.write_text("\n".join(lines) + "\n")
    result = sesame.cli("user", "import", str(users_file))
    assert result.returncode == 0, result.stderr

    plain = sesame.show("plain")
    assert plain["groups"] == ["staff"] and sorted(plain["roles"]) == ["admin", "editor"]
    assert plain["password_scheme"] == "scrypt"

    for username, (password, _, _) in hashes().items():
        assert sesame.show(username)["password_scheme"] == EXPECTED_SCHEME[username]
        _, wrong = sign_in(sesame.base, username, password + "x")
        assert wrong.status_code == 401
        _, right = sign_in(sesame.base, username, password)
        assert right.status_code == 303, username
        assert sesame.show(username)["password_scheme"] == "scrypt"
        _, again = sign_in(sesame.base, username, password)
        assert again.status_code == 303


def test_import_is_all_or_nothing(sesame, tmp_path):
    users_file = tmp_path / "bad.txt"
    users_file.write_text("good1:good1-pw\ngood2:good2-pw:team\nbroken-line-without-password\ngood3:good3-pw\n")
    result = sesame.cli("user", "import", str(users_file))
    assert result.returncode != 0
    assert "line 3" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    listed = sesame.cli("user", "list", "--json").stdout
    assert "good1" not in listed and "good2" not in listed


def test_import_refuses_an_existing_user_and_writes_nothing(sesame, tmp_path):
    sesame.add_user("taken", "taken-password")
    users_file = tmp_path / "clash.txt"
    users_file.write_text("fresh:fresh-pw\ntaken:taken-pw\n")
    result = sesame.cli("user", "import", str(users_file))
    assert result.returncode != 0 and "line 2" in result.stderr
    assert sesame.cli("user", "show", "fresh").returncode != 0
