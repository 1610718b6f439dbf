"""API keys without Ray: the key file and variable, rotation, constant-time checks, the guarded
app in-process, and the CLI's refusals. (The live endpoint: tests/test_serve_reliability.py.)"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from murmur.cli import app
from murmur.core.errors import ConfigError
from murmur.core.store import Store
from murmur.serving import ServeSettings, build_app
from murmur.serving import auth as apikeys
from murmur.serving.auth import ENV_VAR, ApiKeys, parse_key_env, parse_key_file
from murmur.serving.catalog import Catalog
from murmur.serving.client import ModelClient
from murmur.serving.ingress import build_api

KEY = "planted-unit-key-0b7d3e5c9a"
OTHER = "planted-unit-other-4f1a2c"


def test_key_file_and_variable_are_parsed() -> None:
    text = f"# murmur's keys\n\n  {KEY}  \n# revoked: old-key\n{OTHER}\n"
    assert parse_key_file(text, "keys.txt") == [KEY, OTHER]
    assert parse_key_env(f" {KEY} ,, {OTHER},") == [KEY, OTHER]
    with pytest.raises(ConfigError, match="line 2 of the API key file keys.txt") as bad:
        parse_key_file(f"{KEY}\nhas a space-{OTHER}\n", "keys.txt")
    assert OTHER not in str(bad.value)
    with pytest.raises(ConfigError, match=f"\\${ENV_VAR}") as bad:
        parse_key_env(f"{KEY},café-{OTHER}")
    assert OTHER not in str(bad.value)


def test_keys_are_off_unless_configured_and_a_bad_file_fails_loudly(tmp_path: Path) -> None:
    assert ApiKeys.load(None, {}) is None
    assert ApiKeys.load(None, {ENV_VAR: "  "}) is None  # set but blank: off, as unset
    keys = ApiKeys.load(None, {ENV_VAR: f"{KEY},{OTHER}"})
    assert keys is not None and keys.count == 2 and keys.check(OTHER)
    missing = tmp_path / "nope.txt"
    with pytest.raises(ConfigError, match=f"{missing} could not be read"):
        ApiKeys.load(str(missing), {})
    empty = tmp_path / "empty.txt"
    empty.write_text("# no keys yet\n")
    with pytest.raises(ConfigError, match="none was found"):
        ApiKeys.load(str(empty), {})
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe" + KEY.encode())
    with pytest.raises(ConfigError, match="not UTF-8") as bad:
        ApiKeys.load(str(binary), {})
    assert KEY not in str(bad.value)


def test_the_key_file_is_reread_when_it_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "keys.txt"
    path.write_text(f"{KEY}\n")
    keys = ApiKeys(str(path), [], reload_s=0)
    assert keys.check(KEY) and not keys.check(OTHER)
    path.write_text(f"{OTHER}\n")  # KEY revoked, OTHER added: no restart
    assert keys.check(OTHER) and not keys.check(KEY)
    path.write_text("bad key with spaces\n")  # a broken edit keeps the keys that worked
    assert keys.check(OTHER)
    path.unlink()
    assert keys.check(OTHER)
    assert "the previous ones stay" in caplog.text
    assert KEY not in caplog.text and OTHER not in caplog.text


def test_every_key_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(apikeys.hmac, "compare_digest", spy)
    keys = ApiKeys(None, [KEY, OTHER, "third-key"])
    for presented, expected in ((KEY, True), ("third-key", True), ("x", False), (KEY * 9, False)):
        calls.clear()
        assert keys.check(presented) is expected
        # Every known key compared, none skipped after a match; digests of one length only.
        assert len(calls) == 3
        assert {len(a) for a, b in calls} | {len(b) for a, b in calls} == {32}


@pytest.fixture
def keyed_app(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv(ENV_VAR, f"{KEY},{OTHER}")
    keys = ApiKeys.load(None)
    assert keys is not None
    api = build_api(Catalog(Store(str(store_dir)), 0), ModelClient(None, 5), str(store_dir), keys)  # type: ignore[arg-type]
    return TestClient(api)


def test_the_app_guards_the_api_not_the_page(
    keyed_app: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = []
    for headers in ({}, {"Authorization": f"Bearer {KEY}x"}, {"X-API-Key": OTHER[:-1]}):
        r = keyed_app.get("/v1/models", headers=headers)
        answers.append(r.text)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert r.json()["error"]["type"] == "authentication_error"
    for headers in ({"Authorization": f"Bearer {KEY}"}, {"X-API-Key": OTHER}):
        r = keyed_app.get("/v1/models", headers=headers)
        answers.append(r.text)
        assert r.status_code == 200 and r.json() == {"object": "list", "data": []}
    # The key is checked before the body is read: no key, no word about the body.
    json_type = {"Content-Type": "application/json"}
    assert keyed_app.post("/v1/completions", content=b"\xff{", headers=json_type).status_code == 401
    r = keyed_app.post("/v1/completions", content=b"\xff{", headers={**json_type, "X-API-Key": KEY})
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
    for open_path in ("/healthz", "/", "/static/app.js", "/static/style.css", "/openapi.json"):
        assert keyed_app.get(open_path).status_code == 200, open_path
    assert keyed_app.get("/models/nobody").status_code == 404  # a card page, open: none here
    assert keyed_app.get("/nowhere").json()["error"]["type"] == "not_found_error"
    for text in [*answers, caplog.text]:
        assert KEY not in text and OTHER not in text


def test_an_open_app_declares_no_keys(store_dir: Path) -> None:
    api = build_api(Catalog(Store(str(store_dir)), 0), ModelClient(None, 5), str(store_dir))  # type: ignore[arg-type]
    client = TestClient(api)
    assert client.get("/v1/models").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "securitySchemes" not in schema.get("components", {})
    assert "401" not in schema["paths"]["/v1/completions"]["post"]["responses"]


def test_a_bad_key_file_stops_the_endpoint_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    missing = tmp_path / "keys.txt"
    with pytest.raises(ConfigError, match="could not be read"):
        build_app(ServeSettings(store=str(tmp_path), api_keys_file=str(missing)))
    result = CliRunner().invoke(
        app, ["serve", "--store", str(tmp_path), "--api-keys-file", str(missing)]
    )
    said = " ".join(result.output.replace("│", " ").split())  # rich boxes and wraps it
    assert result.exit_code == 2 and "could not be read" in said, result.output
    assert "starting Ray" not in result.output
