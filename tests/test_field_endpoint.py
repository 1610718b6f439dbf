"""Field reports on the endpoint and the CLI: OpenAI-valid values at their edges, boolean
variables read as Hugging Face reads them, quiet commands, safe by default."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from murmur.cli import app as cli
from murmur.cli.serve import check_open_bind, is_loopback
from murmur.core import tracking
from murmur.core.env import env_flag, is_true
from murmur.core.errors import ConfigError
from murmur.serving.chat import ChatRequest
from murmur.serving.schema import CompletionRequest

REPO = Path(__file__).resolve().parents[1]
MESSAGES = [{"role": "user", "content": "My dream is"}]


# ---- 1. OpenAI-valid values ---------------------------------------------------------------------
def _both(**fields: Any) -> list[Any]:
    """The same fields as a completion and as a chat completion request."""
    return [
        CompletionRequest.model_validate({"model": "alice", "prompt": "hi", **fields}),
        ChatRequest.model_validate({"model": "alice", "messages": MESSAGES, **fields}),
    ]


def test_top_p_zero_is_greedy() -> None:
    """OpenAI accepts top_p 0 (TGI#2222, TaskWeaver#231): only the most likely token is left."""
    for request in _both(top_p=0, temperature=1.3):
        assert (request.temperature, request.top_p) == (0.0, 1.0)  # temperature 0's greedy path
    for request in _both(top_p=0.4, temperature=0.7):
        assert (request.temperature, request.top_p) == (0.7, 0.4)


ACCEPTED = [
    {"temperature": 0},
    {"temperature": 2},
    {"top_p": 1},
    {"top_p": 1e-9},
    {"n": 1},
    {"n": 20},  # murmur's own limit (OpenAI's is 128)
    {"seed": -(2**63)},
    {"seed": 2**63 - 1},
    {"stop": ["a", "b", "c", "d"]},
    {"max_tokens": 512},
    # null means the default for every optional field, as the openai client's types allow
    {"temperature": None, "top_p": None, "n": None, "stream": None, "seed": None},
    {"max_tokens": None, "stop": None, "user": None, "stream_options": None},
    {"logit_bias": None, "presence_penalty": None, "frequency_penalty": None},
]


@pytest.mark.parametrize("fields", ACCEPTED, ids=[str(f) for f in ACCEPTED])
def test_openai_valid_values_are_accepted(fields: dict[str, Any]) -> None:
    for request in _both(**fields):
        if fields.get("temperature", 1) is None:
            assert request.temperature == 1.0 and request.top_p == 0.95 and request.n == 1
            assert request.stream is False


REFUSED = [
    ({"temperature": 2.01}, "less than or equal to 2"),
    ({"temperature": -0.01}, "greater than or equal to 0"),
    ({"top_p": 1.01}, "less than or equal to 1"),
    ({"top_p": -0.01}, "greater than or equal to 0"),
    ({"n": 0}, "greater than or equal to 1"),
    ({"n": 21}, "less than or equal to 20"),
    ({"seed": 2**63}, "less than or equal to 9223372036854775807"),
    ({"seed": -(2**63) - 1}, "greater than or equal to -9223372036854775808"),
    ({"stop": ["a", "b", "c", "d", "e"]}, "at most 4 items"),
    ({"max_tokens": 513}, "less than or equal to 512"),
]


@pytest.mark.parametrize(("fields", "says"), REFUSED, ids=[str(f) for f, _ in REFUSED])
def test_values_past_the_edges_are_refused_with_the_limit(
    fields: dict[str, Any], says: str
) -> None:
    for kind in (CompletionRequest, ChatRequest):
        body = {"model": "alice", "prompt": "hi"} if kind is CompletionRequest else {
            "model": "alice", "messages": MESSAGES}  # fmt: skip
        with pytest.raises(ValidationError, match=says):
            kind.model_validate({**body, **fields})


def test_completion_only_fields_at_their_edges() -> None:
    ok = CompletionRequest.model_validate({"model": "a", "prompt": None, "echo": None})
    assert ok.prompt == "" and ok.echo is False
    assert CompletionRequest.model_validate({"model": "a", "logprobs": 5}).logprobs == 5
    assert CompletionRequest.model_validate({"model": "a", "logprobs": 0}).logprobs == 0
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        CompletionRequest.model_validate({"model": "a", "logprobs": 6})
    scored = CompletionRequest.model_validate({"model": "a", "max_tokens": 0, "echo": True})
    assert scored.max_tokens == 0


# ---- 2. boolean variables -----------------------------------------------------------------------
@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "Yes", "on", "ON", " true "])
def test_true_values_are_hfs(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_true(value) and env_flag("X", {"X": value})
    monkeypatch.delenv("WANDB_MODE", raising=False)
    monkeypatch.setenv("WANDB_DISABLED", value)  # axolotl#168: yes/on left W&B on
    assert tracking.wandb_mode() is None


@pytest.mark.parametrize("value", ["0", "false", "no", "off", "", "disabled", "y"])
def test_other_values_are_false(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not is_true(value) and not env_flag("X", {"X": value}) and not env_flag("X", {})
    pytest.importorskip("wandb")
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_DISABLED", value)
    assert tracking.wandb_mode() == "offline"  # not turned off


# ---- 3. quiet: only murmur's own lines without -v -----------------------------------------------
def test_push_prints_no_line_per_http_request(tmp_path: Path) -> None:
    from hub_standin import StandInHub
    from test_hub import TOKENS, murmur, publish_tiny

    from murmur.core.store import Store

    store = Store(str(tmp_path / "store"))
    publish_tiny(store, tmp_path, "alice")
    with StandInHub(TOKENS) as hub:
        quiet = murmur(hub, tmp_path, "push", "alice", "--hub-org", "bots", "--store", store.uri)
        loud = murmur(
            hub, tmp_path, "-v", "push", "alice", "--hub-org", "bots", "--store", store.uri
        )
    assert quiet.returncode == 0 and loud.returncode == 0, quiet.stderr + loud.stderr
    assert "pushed alice" in quiet.stdout
    assert "HTTP Request" not in quiet.stderr and "huggingface_hub" not in quiet.stderr
    assert "HTTP Request" in loud.stderr  # -v shows the libraries' lines: they exist


def test_a_library_info_line_is_hidden_and_its_warning_shown() -> None:
    code = (
        "import logging; from murmur.cli.main import setup_logging; setup_logging(False); "
        "logging.getLogger('httpx').info('lib-info'); logging.getLogger('httpx').warning('lib-warn'); "
        "logging.getLogger('murmur.data').info('own-info')"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "lib-info" not in r.stderr and "lib-warn" in r.stderr and "own-info" in r.stderr


# ---- 4. safe by default -------------------------------------------------------------------------
def _config_args() -> dict[str, Any]:
    import yaml

    config = yaml.safe_load((REPO / "serve" / "config.yaml").read_text())
    return dict(config["applications"][0]["args"])


def test_the_serve_configs_app_refuses_to_start_without_keys(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from murmur.serving.app import app

    monkeypatch.delenv("MURMUR_API_KEYS", raising=False)
    args = {**_config_args(), "store": str(tmp_path)}
    assert args["allow_unauthenticated"] is False  # as shipped
    with pytest.raises(ConfigError, match=r"set \$MURMUR_API_KEYS .* on every node"):
        app(args)
    assert type(app({**args, "allow_unauthenticated": True})).__name__ == "Application"
    monkeypatch.setenv("MURMUR_API_KEYS", "cluster-key-1")
    assert type(app(args)).__name__ == "Application"
    keys = tmp_path / "keys.txt"
    keys.write_text("file-key-1\n")
    monkeypatch.delenv("MURMUR_API_KEYS")
    assert type(app({**args, "api_keys_file": str(keys)})).__name__ == "Application"


def test_murmur_serve_beyond_loopback_needs_keys(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MURMUR_API_KEYS", raising=False)
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "127.0.1.1"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.5", "example.com"))
    check_open_bind("127.0.0.1", has_keys=False, allowed=False)  # loopback: no keys needed
    check_open_bind("0.0.0.0", has_keys=True, allowed=False)
    check_open_bind("0.0.0.0", has_keys=False, allowed=True)
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == (
        "error: --host 0.0.0.0 without API keys lets anyone who reaches it call the API: give "
        "--api-keys-file FILE or set $MURMUR_API_KEYS (comma-separated keys); or, behind your "
        "own authentication only, --allow-unauthenticated"
    )


def test_a_public_metrics_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the Ray murmur starts would not be on loopback after all, Ray's metrics agent would
    bind every interface: --metrics-port is refused in one line (and that Ray stopped)."""
    import ray

    from murmur.cli import serve

    stopped: list[bool] = []
    monkeypatch.setattr(serve, "local_ray_needed", lambda: True)
    monkeypatch.setattr(serve, "loopback_node", lambda: None)  # as if it had no effect
    monkeypatch.setattr(serve, "check_port_free", lambda *args: None)
    monkeypatch.setattr(serve, "init_ray", lambda **kwargs: True)
    monkeypatch.setattr(ray.util, "get_node_ip_address", lambda: "10.0.0.5")
    monkeypatch.setattr(ray, "shutdown", lambda: stopped.append(True))
    with pytest.raises(ConfigError, match="--metrics-port 20123 would be public") as e:
        serve.start_ray(20123)
    assert "\n" not in str(e.value) and stopped == [True]


@pytest.mark.ray
def test_murmur_serves_metrics_on_loopback_only() -> None:
    """The Ray `murmur serve` starts binds its metrics exporter to 127.0.0.1 (measured with
    psutil's listening sockets), in a fresh process."""
    code = (
        "import psutil; from murmur.cli.serve import start_ray; port = start_ray(None); "
        "print(sorted({c.laddr.ip for c in psutil.net_connections('tcp') "
        "if c.laddr.port == port and c.status == 'LISTEN'}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=240, env=env
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip().splitlines()[-1] == "['127.0.0.1']"


def test_the_page_keeps_its_key_for_the_tab_only() -> None:
    js = (REPO / "platform" / "murmur" / "serving" / "static" / "app.js").read_text()
    code = "\n".join(line.split("//", 1)[0] for line in js.splitlines())  # comments aside
    assert "localStorage" not in code
    assert "sessionStorage.setItem(KEY_STORAGE, key)" in code
    assert "sessionStorage.getItem(KEY_STORAGE)" in code


def test_no_boolean_variable_is_read_by_hand() -> None:
    """Every boolean environment variable goes through murmur.core.env: no code compares a
    variable's value with true-ish words itself (the defect: WANDB_DISABLED read as 1/true only)."""
    read = re.compile(
        r"(environ(\.get)?\(|environ\[|getenv\()[^\n]*?\)?\]?(\.(lower|upper|strip)\(\))*"
        r"\s*(in|==|!=)\s*[(\[{\"']"
    )
    package = REPO / "platform" / "murmur"
    hits = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "env.py" and read.search(path.read_text(encoding="utf-8"))
    ]
    assert hits == []
    assert read.search('os.environ.get("WANDB_DISABLED", "").lower() in ("1", "true")')
