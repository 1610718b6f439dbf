"""Every user mistake ends in one line on stderr, `error: <what> <what to do>`, with a non-zero
exit code and no traceback; `-v` shows the traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from murmur.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def one_line(result: object, code: int) -> str:
    """The command's only stderr line, after checking the exit code and that there is one."""
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == code, (result.exit_code, result.output)  # type: ignore[attr-defined]
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    return lines[0]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a store\n")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["prepare", "sample_baker"],
        ["train", "sample_baker"],
        ["models"],
        ["status"],
        ["card", "sample_baker"],
        ["delete", "sample_baker", "--yes"],
    ],
    ids=lambda a: a[0],
)
def test_a_store_that_is_a_file_is_one_line(args: list[str], a_file: Path) -> None:
    if args[0] == "delete" and "--yes" not in _options("delete"):
        args = args[:-1]
    line = one_line(runner.invoke(app, [*args, "--store", str(a_file)]), 1)
    assert line == f"error: --store {a_file} is a file: give a folder or an s3:// URI"


def _options(command: str) -> str:
    return runner.invoke(app, [command, "--help"], terminal_width=200).output


def test_the_console_script_prints_one_line(a_file: Path) -> None:
    """Through `python -m murmur.cli` (the console script's `main`), not only CliRunner."""
    run = subprocess.run(
        [sys.executable, "-m", "murmur.cli", "prepare", "x", "--store", str(a_file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and run.stderr.splitlines() == [
        f"error: --store {a_file} is a file: give a folder or an s3:// URI"
    ]


def test_a_missing_handles_file_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "handles.txt"
    args = ["prepare", "--handles-file", str(missing), "--store", str(tmp_path / "s")]
    line = one_line(runner.invoke(app, args), 2)
    assert f"--handles-file {missing}: No such file or directory" in line
    assert "murmur prepare --help" in line


def test_usage_errors_are_one_line() -> None:
    line = one_line(runner.invoke(app, ["prepare", "--no-such-flag"]), 2)
    assert "No such option: --no-such-flag" in line
    line = one_line(runner.invoke(app, ["no-such-command"]), 2)
    assert "No such command 'no-such-command'" in line


def test_an_unexpected_error_asks_for_v(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(uri: str | None, must_exist: bool = False) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("murmur.cli.models.open_store", broken)
    line = one_line(runner.invoke(app, ["models", "--store", str(tmp_path)]), 1)
    assert line == "error: RuntimeError: boom (unexpected: run again with -v for the traceback)"
    verbose = runner.invoke(app, ["-v", "models", "--store", str(tmp_path)])
    assert verbose.exit_code == 1 and isinstance(verbose.exception, RuntimeError)


def test_v_shows_the_traceback_of_a_murmur_error(a_file: Path) -> None:
    result = runner.invoke(app, ["-v", "models", "--store", str(a_file)])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "StoreError"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_on_a_busy_port_fails_before_ray(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = runner.invoke(app, ["serve", "--store", str(tmp_path), "--port", str(port)])
    line = one_line(result, 1)
    assert f"port {port} on 127.0.0.1 is busy" in line and "--port" in line
    assert "starting Ray" not in result.output and time.monotonic() - started < 20


def test_serve_with_a_store_that_is_a_file_fails_before_ray(a_file: Path) -> None:
    result = runner.invoke(app, ["serve", "--store", str(a_file), "--port", str(_free_port())])
    assert "is a file" in one_line(result, 1)
    assert "starting Ray" not in result.output


def test_generate_gives_up_after_wait_s() -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    result = runner.invoke(app, ["generate", "jack", "--url", url, "--wait-s", "1"])
    took = time.monotonic() - started
    assert result.exit_code == 1 and 1 <= took < 10
    assert result.stderr.splitlines() == [
        f"waiting for the endpoint at {url} to start…",
        f"error: no endpoint at {url} after waiting 1 s (--wait-s): start one with "
        "`murmur serve` or give its address with --url",
    ]


SERVE_404 = (404, "text/plain", "Path '/generate' not found. Ping http://.../-/routes for routes.")
BAKED = (200, "application/json", json.dumps({"generations": ["I bake bread"]}))
REFUSED = (401, "application/json", json.dumps({"error": {"message": "the API key is not valid"}}))


class _Endpoint(BaseHTTPRequestHandler):
    """Answers POSTs with `replies` in turn (the last one again and again); notes each path."""

    replies: ClassVar[list[tuple[int, str, str]]] = []
    paths: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        status, kind, text = self.replies[min(len(self.paths), len(self.replies) - 1)]
        self.paths.append(self.path)
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def late_endpoint() -> Iterator[str]:
    """An HTTP server on loopback that starts listening 1.5 s from now."""
    port = _free_port()
    _Endpoint.paths = []
    servers: list[ThreadingHTTPServer] = []

    def start() -> None:
        time.sleep(1.5)
        server = ThreadingHTTPServer(("127.0.0.1", port), _Endpoint)
        servers.append(server)
        server.serve_forever(poll_interval=0.1)

    threading.Thread(target=start, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    for server in servers:
        server.shutdown()
        server.server_close()


def test_generate_waits_for_an_endpoint_that_is_starting(late_endpoint: str) -> None:
    _Endpoint.replies = [SERVE_404, BAKED]  # Serve's proxy before the app is deployed, then it
    result = runner.invoke(app, ["generate", "jack", "--url", late_endpoint, "--wait-s", "20"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"waiting for the endpoint at {late_endpoint} to start…"]
    assert "🤖 @jack: I bake bread" in result.stdout
    assert _Endpoint.paths == ["/generate", "/generate"]


def test_generate_reports_the_endpoints_error_in_one_line(
    late_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MURMUR_API_KEY", raising=False)
    _Endpoint.replies = [REFUSED]
    for extra in ([], ["--stream"]):
        args = ["generate", "jack", "--url", late_endpoint, "--wait-s", "20", *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[-1] == (
            "error: HTTP 401: the API key is not valid "
            "(murmur generate sends one with --api-key or $MURMUR_API_KEY)"
        )


def test_the_test_command_names_skipped_browser_tests() -> None:
    """Without Chromium the browser tests are skipped, and the run ends saying how to run them."""
    env = {**os.environ, "MURMUR_CHROMIUM": "/nonexistent/chromium"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_browser.py"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    assert run.returncode in (0, 5), run.stdout  # 5: nothing ran (the module was skipped)
    assert "skipped: tests/test_browser.py" in run.stdout
    assert "to run them: `sudo apt-get install -y chromium fonts-noto-color-emoji`" in run.stdout


def test_tables_never_cut_a_model_name_at_80_columns() -> None:
    """`murmur train`'s and `murmur status`' tables keep whole names."""
    from rich.console import Console

    from murmur.cli.jobs import render_summary
    from murmur.cli.train import print_outcomes
    from murmur.core.states import ModelState
    from murmur.jobs.state import AccountRecord
    from murmur.jobs.summary import JobSummary

    names = [
        "sample_baker_with_a_long_name",
        "sample_baker_with_a_long_nam2",
        "bob._mastodon.social",
    ]
    stats = {"tweets_downloaded": 700, "retweets": 77, "short_tweets": 42, "tweets_kept": 581}
    records = [
        AccountRecord(
            model=n,
            handles=[n],
            state=ModelState.PUBLISHED,
            result={
                "stats": [{"handle": n, **stats}],
                "val_loss_before": 7.4,
                "val_loss_after": 3.2,
            },
        )
        for n in names
    ]
    console = Console(width=80, record=True)
    print_outcomes(records, console)
    summary = JobSummary(
        job={"id": "train-1", "status": "running"},
        accounts=records,
        counts={"published": 3},
        elapsed_s=1.0,
        accounts_per_hour=None,
        eta_s=None,
    )
    console.print(render_summary(summary))
    text = console.export_text()
    for name in names:
        assert text.count(name) >= 2, text


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["delete", "baker"], "error: deleting baker needs confirmation: pass --yes"),
        (["rollback", "baker", "v1"], "error: rolling baker back needs confirmation: pass --yes"),
    ],
)
def test_delete_and_rollback_refuse_alike_without_a_terminal(
    tmp_path: Path, args: list[str], line: str
) -> None:
    """Without --yes and without a terminal to ask on: the same one line, exit 2, nothing done."""
    from test_versions import _make_model
    from typer.testing import CliRunner

    from murmur.cli import app
    from murmur.core.store import Store

    store = Store(str(tmp_path / "store"))
    store.publish_model("baker", _make_model(tmp_path / "m1", "v1", 100, 3.5))
    store.publish_model("baker", _make_model(tmp_path / "m2", "v2", 150, 3.2))
    result = CliRunner().invoke(app, [*args, "--store", store.root])
    assert result.exit_code == 2 and result.stderr.strip() == line, result.output
    assert store.has_model("baker") and store.resolve_version("baker") == "v2"


def test_an_unresolvable_base_model_fails_before_ray(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A base model whose config cannot resolve fails in one line, without starting Ray."""
    from typer.testing import CliRunner

    import murmur.jobs.driver
    from murmur.cli import app

    def no_ray(*_: object, **__: object) -> None:
        raise AssertionError("Ray was started for a base model that cannot load")

    monkeypatch.setattr(murmur.jobs.driver, "ensure_ray", no_ray)
    args = ["train", "sample_baker", "--base-model", str(tmp_path / "no-such-model")]
    result = CliRunner().invoke(app, [*args, "--store", str(tmp_path / "s"), "--no-wandb"])
    assert result.exit_code == 1
    assert "no-such-model" in result.output and "Ray was started" not in result.output


def test_an_s3_store_without_credentials_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """botocore's NoCredentialsError, raised by s3fs at the store's first read, is one line that
    names the variables to set (new-user trial, 2026-12-07: it was "unexpected")."""
    s3fs = pytest.importorskip("s3fs")
    # fsspec caches a filesystem by its arguments: one made without credentials here must not
    # be what a later test's S3 store gets (tests/test_leases_s3.py), nor one of theirs ours.
    s3fs.S3FileSystem.clear_instance_cache()
    monkeypatch.setattr(s3fs.S3FileSystem, "cachable", False)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata lookup
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{_free_port()}")
    line = one_line(runner.invoke(app, ["models", "--store", "s3://no-credentials-bucket/m"]), 1)
    assert line.startswith("error: no AWS credentials for the s3:// store: set AWS_ACCESS_KEY_ID")


@pytest.mark.parametrize(
    "command", [["models"], ["card", "x"], ["status"], ["serve"], ["export", "x", "out"]]
)
def test_a_reading_command_refuses_a_missing_store(command: list[str], tmp_path: Path) -> None:
    """A mistyped --store is one line for the commands that only read, and no folder is made
    (new-user trial, 2026-12-07: `murmur serve` served an empty new store)."""
    typo = tmp_path / "typo-store"
    line = one_line(runner.invoke(app, [*command, "--store", str(typo)]), 1)
    assert line.startswith(f"error: no murmur store at {typo}: check --store"), line
    assert not typo.exists()


def test_version_prints_the_package_version() -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"murmur {version('murmur')}"
