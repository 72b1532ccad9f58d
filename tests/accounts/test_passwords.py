from luoshi.accounts.passwords import hash_password, needs_rehash, verify_password


def test_hash_and_verify():
    h = hash_password("正确的马 battery")
    assert h.startswith("$argon2id$")
    assert "正确的马" not in h
    assert verify_password(h, "正确的马 battery")
    assert not verify_password(h, "正确的马 Battery")
    assert hash_password("x") != hash_password("x")  # salted
    assert not needs_rehash(h)


def test_empty_or_broken_hash_never_verifies():
    assert not verify_password(None, "demo")
    assert not verify_password("", "demo")
    assert not verify_password("not-a-hash", "demo")
    assert not verify_password(hash_password("demo"), "")
    assert needs_rehash("not-a-hash")
