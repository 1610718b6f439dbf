"""`murmur serve` (the endpoint on an embedded local Ray) and `murmur generate` (a client)."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from murmur.cli.main import app, make_console, open_store
from murmur.core.errors import ConfigError, HandleError, ServingError
from murmur.core.generation import cut_generation
from murmur.core.handles import handles_of_model_name, parse_model_spec, validate_model_name
from murmur.core.ray_init import init_ray, local_ray_needed
from murmur.jobs.cluster import check_local_gpus

DEFAULT_URL = "http://127.0.0.1:8000"
T = TypeVar("T")
STORE_HELP = "Store URI (local folder, s3://, gs://); default $MURMUR_STORE or ./murmur-store."


def check_port_free(host: str, port: int, flag: str = "--port") -> None:
    """Raise ConfigError in one line where another program listens on host:port, before Ray
    starts (Serve's proxy would fail there after ~20 s and 78 lines); `flag` picks the port."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind((host, port))
        except OSError as e:
            raise ConfigError(
                f"port {port} on {host} is busy ({e.strerror}): stop what listens there or "
                f"pick another with {flag}"
            ) from None


def is_loopback(host: str) -> bool:
    """Whether `host` (a --host value) is this machine only: localhost, 127.0.0.0/8 or ::1."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_open_bind(host: str, has_keys: bool, allowed: bool) -> None:
    """ConfigError in one line for --host beyond loopback without API keys (anyone who reaches
    it could call the API), unless `allowed` (--allow-unauthenticated)."""
    if has_keys or allowed or is_loopback(host):
        return
    raise ConfigError(
        f"--host {host} without API keys lets anyone who reaches it call the API: give "
        "--api-keys-file FILE or set $MURMUR_API_KEYS (comma-separated keys); or, behind your "
        "own authentication only, --allow-unauthenticated"
    )


def loopback_node() -> None:
    """Make the local Ray about to start a node on 127.0.0.1. On Linux Ray turns a loopback
    `_node_ip_address` into the machine's address (ray._private.services
    .resolve_ip_for_localhost) unless its single-machine mode is on, its default on macOS:
    $RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 (ray._private.ray_constants.ENABLE_RAY_CLUSTER, read
    when Ray is imported: set here for this process, and in the environment for its children).
    Measured: the metrics agent then listens on 127.0.0.1, Serve's proxy still on its --host
    (tests/test_field_endpoint.py)."""
    from ray._private import ray_constants

    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    ray_constants.ENABLE_RAY_CLUSTER = False


def start_ray(metrics_port: int | None) -> int:
    """The Ray `murmur serve` runs on: this process's, $RAY_ADDRESS's, else an embedded local one
    (as murmur.serving.start_local starts it) exporting metrics on `metrics_port` (None: a free
    port Ray picks). Returns the port its node exports metrics on (murmur.core.metrics).

    The local one is a node on 127.0.0.1 (`loopback_node`): Ray's metrics agent then listens on
    loopback only (ray.dashboard.modules.reporter.reporter_agent binds every interface for any
    other node address), since metrics carry no API key. ConfigError where a Ray murmur did not start
    exports them on another port than `metrics_port` (a cluster's is set by its `ray start
    --metrics-export-port`), or where the Ray it started is not on loopback after all (its
    metrics would listen on every interface).
    """
    import ray

    from murmur.core.metrics import export_port

    started = local_ray_needed()
    if started:
        loopback_node()
        if metrics_port is not None:
            check_port_free("127.0.0.1", metrics_port, "--metrics-port")
    verbose = logging.getLogger().isEnabledFor(logging.DEBUG)  # -v: Ray's lines too
    # A local Ray's node on loopback: its metrics agent listens there only.
    init_ray(verbose=verbose, metrics_port=metrics_port, node_ip="127.0.0.1")
    node_ip = ray.util.get_node_ip_address()
    if started and metrics_port is not None and not is_loopback(node_ip):
        ray.shutdown()
        raise ConfigError(
            f"--metrics-port {metrics_port} would be public: Ray's node started on {node_ip}, "
            "where its metrics agent listens on every interface, and metrics carry no API key: "
            "leave out --metrics-port, or scrape a cluster's metrics inside its network"
        )
    port = export_port()
    if metrics_port is not None and port != metrics_port:
        joined = os.environ.get("RAY_ADDRESS") or "this process's Ray"
        raise ConfigError(
            f"--metrics-port {metrics_port} applies only where murmur starts Ray: {joined} already "
            f"exports metrics on port {port}: scrape that port, or leave out --metrics-port"
        )
    return port


@app.command()
def serve(
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="HTTP port on 127.0.0.1."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    config: Path = typer.Option(
        None, "--config", exists=True, dir_okay=False, help="A Serve config (serve/config.yaml)."
    ),
    min_replicas: int = typer.Option(None, "--min-replicas", help="Fewest model replicas."),
    max_replicas: int = typer.Option(None, "--max-replicas", help="Most model replicas."),
    num_gpus: float = typer.Option(None, "--num-gpus", help="GPUs per model replica (0: CPU)."),
    models_per_replica: int = typer.Option(
        None, "--models-per-replica", help="Models each replica keeps loaded."
    ),
    api_keys_file: Path = typer.Option(
        None,
        "--api-keys-file",
        dir_okay=False,
        help="API keys, one per line (# comments): the API then needs one. $MURMUR_API_KEYS "
        "(comma-separated) works too.",
    ),
    metrics_port: int = typer.Option(
        None,
        "--metrics-port",
        min=1,
        max=65535,
        help="Port of the Prometheus metrics (GET /metrics on 127.0.0.1 only; Ray's metrics export "
        "port); default a free one, printed. Only where murmur starts Ray.",
    ),
    allow_unauthenticated: bool = typer.Option(
        False,
        "--allow-unauthenticated",
        help="Serve a --host beyond 127.0.0.1 without API keys (only behind your own auth).",
    ),
) -> None:
    """Serve every published model on one endpoint until Ctrl-C (an embedded local Ray)."""
    from ray import serve as ray_serve

    from murmur.serving import settings_from_config, start_local
    from murmur.serving.auth import ENV_VAR, ApiKeys
    from murmur.serving.settings import check_settings

    args: dict[str, Any] = settings_from_config(str(config)) if config else {}
    flags = {
        "store": store,
        "min_replicas": min_replicas,
        "max_replicas": max_replicas,
        "num_gpus": num_gpus,
        "models_per_replica": models_per_replica,
        "api_keys_file": str(api_keys_file) if api_keys_file else None,
        "allow_unauthenticated": True if allow_unauthenticated else None,
    }
    args.update({k: v for k, v in flags.items() if v is not None})
    settings = check_settings(args, flags=[k for k, v in flags.items() if v is not None])
    console = make_console()
    try:
        keys = ApiKeys.load(settings.api_keys_file)
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
    check_open_bind(host, keys is not None, settings.allow_unauthenticated)
    if keys is None:
        console.print(f"API keys off: anyone who reaches the port may call the API ({ENV_VAR})")
    else:
        console.print(f"API keys on: {keys.count} key{'' if keys.count == 1 else 's'}")
    open_store(settings.store, must_exist=True)  # missing, a file, unreadable: one line, no Ray
    check_port_free(host, port)
    check_local_gpus(settings.num_gpus, "--num-gpus")  # a local Ray would wait for them forever
    console.print(f"starting Ray and Serve for the models in {settings.store} ...")
    if not logging.getLogger().isEnabledFor(logging.DEBUG):  # -v shows Serve's INFO lines
        logging.getLogger("ray.serve").setLevel(logging.WARNING)  # its own handler, not ours
    exported = start_ray(metrics_port)
    url = start_local(settings, host=host, port=port)
    console.print(f"[green]serving[/] at {url}  (GET {url}/v1/models; Ctrl-C stops)")
    console.print(f"metrics (Prometheus) at http://127.0.0.1:{exported}/metrics")

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill` stops it as cleanly as Ctrl-C
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        console.print("stopping ...")
    finally:
        ray_serve.shutdown()


def endpoint_url(url: str | None) -> str:
    """The endpoint `murmur generate` asks: `url` (--url), else $MURMUR_URL, else DEFAULT_URL,
    without a trailing slash. ConfigError in one line where it is not http(s)://HOST[:PORT]."""
    from urllib.parse import urlsplit

    given = url or os.environ.get("MURMUR_URL") or DEFAULT_URL
    parts = urlsplit(given)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        flag = "--url" if url else "$MURMUR_URL"
        raise ConfigError(f"{flag} must be http(s)://HOST:PORT, e.g. {DEFAULT_URL} (got {given!r})")
    return given.rstrip("/")


def _error_message(response: Any) -> str:
    try:
        message = str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        message = response.text or f"HTTP {response.status_code}"
    if response.status_code == 401:
        message += " (murmur generate sends one with --api-key or $MURMUR_API_KEY)"
    return message


class _Starting(Exception):
    """The endpoint is not there yet: the connection was refused, or Serve's proxy is up but
    has no route yet (its plain-text 404 `Path '/generate' not found. Ping .../-/routes`)."""


def _check_answer(response: Any) -> None:
    """Raise _Starting while the app is not deployed; ServingError on any other failure."""
    if response.status_code == 200:
        return
    if response.status_code == 404 and "/-/routes" in response.text:
        raise _Starting
    raise ServingError(f"HTTP {response.status_code}: {_error_message(response)}")


def call_waiting(call: Callable[[], T], base: str, wait_s: float) -> T:
    """`call()`, tried again every 0.5 s for up to `wait_s` seconds while the endpoint at `base`
    is starting (`murmur serve &` then `murmur generate` meets a 12-14 s start-up); one line on
    stderr says so. Raises ServingError when it is still not there."""
    import httpx

    deadline = time.monotonic() + wait_s
    waited = False
    while True:
        try:
            return call()
        except (httpx.ConnectError, _Starting):
            left = deadline - time.monotonic()
            if left <= 0:
                after = f" after waiting {wait_s:g} s (--wait-s)" if waited else ""
                raise ServingError(
                    f"no endpoint at {base}{after}: start one with `murmur serve` "
                    "or give its address with --url"
                ) from None
            if not waited:
                typer.echo(f"waiting for the endpoint at {base} to start…", err=True)
                waited = True
            time.sleep(min(0.5, left))


def model_of(given: str) -> str:
    """The model `murmur generate` asks for: `given` where it is a model name, else the name of
    the handle(s) it gives (`@bob@mastodon.social` -> `bob._mastodon.social`, `a+b` -> `a-b`;
    the rule: murmur.core.handles); `given` as it is where it is neither (the endpoint's 404
    then names it)."""
    try:
        return validate_model_name(given)
    except HandleError:
        pass
    try:
        return parse_model_spec(given).name
    except HandleError:
        return given


def speaker(model: str) -> str:
    """Who `murmur generate` says wrote a tweet: the model's handles (`@alice`, `@a + @b`,
    `@bob@mastodon.social`), else its name (a cut, hashed name)."""
    try:
        return " + ".join(f"@{h}" for h in handles_of_model_name(model))
    except HandleError:
        return model


@app.command()
def generate(
    model: str = typer.Argument(
        ...,
        help="A published model's name ('jack', 'a-b'), or its handles ('@bob@m.social', 'a+b').",
    ),
    prompt: str = typer.Argument("My dream is", help="How the tweets start."),
    n: int = typer.Option(5, "-n", help="How many tweets (at most 20)."),
    url: str = typer.Option(
        None, "--url", help=f"The endpoint; default $MURMUR_URL or {DEFAULT_URL}."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the endpoint's JSON answer."),
    stream: bool = typer.Option(False, "--stream", help="Print each tweet as it is written."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds to wait for the answer."),
    wait_s: float = typer.Option(
        60.0, "--wait-s", min=0, help="Seconds to wait for an endpoint that is starting."
    ),
    api_key: str = typer.Option(
        None,
        "--api-key",
        help="The endpoint's API key, where it needs one; default $MURMUR_API_KEY.",
    ),
) -> None:
    """Ask a running endpoint (`murmur serve`) for tweets in huggingtweets' way."""
    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    base = endpoint_url(url)
    model = model_of(model)
    key = api_key or os.environ.get("MURMUR_API_KEY")
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {"model": model, "prompt": prompt, "n": n}

    def ask() -> Any:
        response = httpx.post(f"{base}/generate", json=body, headers=headers, timeout=timeout)
        _check_answer(response)
        return response

    try:
        if stream:
            call_waiting(
                lambda: _stream(base, model, prompt, n, timeout, as_json, headers), base, wait_s
            )
            return
        response = call_waiting(ask, base, wait_s)
    except httpx.TimeoutException:
        raise ServingError(
            f"{base} did not answer within {timeout:g} s: try again, or raise --timeout"
        ) from None
    if as_json:
        print(json.dumps(response.json(), indent=2, ensure_ascii=False))
        return
    console = make_console()
    for text in response.json()["generations"]:
        console.print(f"🤖 {speaker(model)}: {text}", soft_wrap=True, markup=False)


def _stream(
    base: str,
    model: str,
    prompt: str,
    n: int,
    timeout: float,
    as_json: bool,
    headers: dict[str, str],
) -> None:
    """/v1/completions with stream: each tweet printed when its choice finishes."""
    import httpx

    console = make_console()
    body = {"model": model, "prompt": prompt, "n": n, "stream": True}
    texts = [""] * n
    url = f"{base}/v1/completions"
    with httpx.stream("POST", url, json=body, headers=headers, timeout=timeout) as response:
        if response.status_code != 200:
            response.read()
            _check_answer(response)
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            chunk = json.loads(line[len("data: ") :])
            if as_json:
                print(json.dumps(chunk, ensure_ascii=False), flush=True)
                continue
            if "error" in chunk:
                raise ServingError(str(chunk["error"]["message"]))
            for choice in chunk["choices"]:
                texts[choice["index"]] += choice["text"]
                if choice["finish_reason"]:
                    tweet = cut_generation(prompt + texts[choice["index"]])
                    console.print(f"🤖 {speaker(model)}: {tweet}", soft_wrap=True, markup=False)
