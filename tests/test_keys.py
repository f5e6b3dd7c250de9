"""Signing keys live in the database: one current key per algorithm, shared by every
worker, rotated with the old key still published."""

import jwt
import pytest

from lms.keys import current_key, public_jwks, rotate


@pytest.mark.parametrize("alg", ["RS256", "EdDSA"])
def test_a_key_is_made_once_and_signs_what_its_public_key_verifies(ctx, alg):
    key = current_key(alg)
    assert current_key(alg).kid == key.kid
    token = jwt.encode({"sub": "x"}, key.private_key, algorithm=alg, headers={"kid": key.kid})
    (published,) = public_jwks(alg)["keys"]
    assert published["kid"] == key.kid and "d" not in published  # never the private part
    public = jwt.PyJWK(published).key
    assert jwt.decode(token, public, algorithms=[alg])["sub"] == "x"


def test_rotation_keeps_the_old_key_published(ctx):
    old = current_key("RS256")
    token = jwt.encode({"sub": "x"}, old.private_key, algorithm="RS256", headers={"kid": old.kid})
    new = rotate("RS256")
    assert current_key("RS256").kid == new.kid != old.kid
    published = {k["kid"]: k for k in public_jwks("RS256")["keys"]}
    assert set(published) == {old.kid, new.kid}
    assert jwt.decode(token, jwt.PyJWK(published[old.kid]).key, algorithms=["RS256"])["sub"] == "x"
    assert [k["kid"] for k in public_jwks("EdDSA")["keys"]] != [old.kid]  # algorithms apart


def test_an_unknown_algorithm_is_refused(ctx):
    with pytest.raises(ValueError, match="Unknown signing algorithm"):
        rotate("HS256")


def test_the_rotate_command_publishes_both_keys(app, ctx):
    old = current_key("EdDSA").kid
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "keys", "rotate", "--alg", "EdDSA"])
    assert result.exit_code == 0 and "previous one stays" in result.output
    listed = runner.invoke(args=["lms", "keys", "list"]).output
    assert f"{old}" in listed and "retired" in listed and "current" in listed


def test_workers_making_the_first_key_at_once_agree_on_one(app, ctx):
    """Two workers asking for a key that does not exist yet: the database keeps one, and both
    sign with it (a second signing key would fail at a platform that cached our key set)."""
    from concurrent.futures import ThreadPoolExecutor

    def ask(_):
        with app.app_context():
            return current_key("RS256").kid

    with ThreadPoolExecutor(4) as pool:
        kids = set(pool.map(ask, range(8)))
    assert len(kids) == 1
    assert [k["kid"] for k in public_jwks("RS256")["keys"]] == list(kids)
