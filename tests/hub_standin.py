"""A stand-in Hugging Face Hub on 127.0.0.1: the endpoints `huggingface_hub` (2.4) calls to
create a repo, read its info and files, and upload a folder without Xet (`HF_HUB_DISABLE_XET=1`).

    POST /api/repos/create                          {name, organization, visibility} -> {url}
    GET  /api/models/{org}/{name}[/revision/{rev}]  model info: id, sha, private, tags, siblings
    PUT  /api/models/{org}/{name}/settings          {visibility}
    GET  /api/models/{org}/{name}/tree/{rev}        the files (list_repo_files)
    POST /api/validate-yaml                         the card's metadata
    POST /api/models/{org}/{name}/preupload/{rev}   upload mode per file: `lfs` for weights
    POST /{org}/{name}.git/info/lfs/objects/batch   LFS batch API: where to PUT each object
    PUT  /lfs/{oid}                                 an LFS object's bytes (sha256 checked)
    POST /api/models/{org}/{name}/commit/{rev}      NDJSON: header, file, lfsFile, deletedFile

Routes and payloads follow huggingface_hub's hf_api.py, _commit_api.py and lfs.py. Errors carry
the Hub's headers (`X-Error-Code: RepoNotFound`, `X-Error-Message`) so the client raises the same
exception types. Tags come from the card's YAML front matter, as on the Hub. Tokens map to a user
and the namespaces it may write; repos are kept in memory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlparse

import yaml

LFS_SUFFIXES = (".safetensors", ".bin", ".pt")  # the Hub's default .gitattributes, in part


@dataclass
class Repo:
    """One model repo: its files (path -> bytes), visibility, owner and commits."""

    repo_id: str
    private: bool = False
    files: dict[str, bytes] = field(default_factory=dict)
    commits: list[str] = field(default_factory=list)  # commit summaries, oldest first

    @property
    def sha(self) -> str:
        return hashlib.sha1(f"{self.repo_id}:{len(self.commits)}".encode()).hexdigest()

    @property
    def tags(self) -> list[str]:
        card = self.files.get("README.md", b"").decode()
        match = re.match(r"---\n(.*?)\n---\n", card, re.S)
        meta = yaml.safe_load(match.group(1)) if match else None
        tags = meta.get("tags") if isinstance(meta, dict) else None
        return [str(t) for t in tags] if isinstance(tags, list) else []


@dataclass
class HubState:
    """What the stand-in holds: tokens (token -> (user, writable namespaces)) and repos."""

    tokens: dict[str, tuple[str, set[str]]]
    repos: dict[str, Repo] = field(default_factory=dict)
    lfs: dict[str, bytes] = field(default_factory=dict)  # sha256 hex -> bytes
    lock: threading.Lock = field(default_factory=threading.Lock)


class StandInHub:
    """The server in a daemon thread; `url` is its endpoint (`HF_ENDPOINT`). Use as a context
    manager, or call `close()`."""

    def __init__(self, tokens: dict[str, tuple[str, set[str]]]) -> None:
        self.state = HubState(tokens=tokens)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        handler.base_url = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add_repo(self, repo_id: str, files: dict[str, bytes], *, private: bool = False) -> Repo:
        """A repo made by someone else (e.g. without murmur's tag)."""
        repo = Repo(repo_id, private=private, files=dict(files), commits=["initial commit"])
        self.state.repos[repo_id] = repo
        return repo

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> StandInHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: HubState
    base_url: str

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    # ---- plumbing ----------------------------------------------------------------------------
    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, status: int, doc: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, code: str | None = None) -> None:
        headers = {"X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        self._send(status, {"error": message}, headers)

    def _user(self) -> tuple[str, set[str]] | None:
        auth = self.headers.get("Authorization", "")
        return self.state.tokens.get(auth.removeprefix("Bearer ").strip())

    def _authorized(self) -> tuple[str, set[str]] | None:
        """The caller, or None after answering 401 (no token, or an unknown one)."""
        user = self._user()
        if user is None:
            self._error(401, "Invalid credentials in Authorization header")
        return user

    def _visible(self, repo_id: str) -> Repo | None:
        """The repo if the caller may read it, else None after answering 404 RepoNotFound."""
        repo = self.state.repos.get(repo_id)
        user = self._user()
        if repo is None or (repo.private and (user is None or _ns(repo_id) not in user[1])):
            self._error(404, "Repository not found", "RepoNotFound")
            return None
        return repo

    def _writable(self, repo_id: str) -> Repo | None:
        user = self._authorized()
        if user is None:
            return None
        repo = self._visible(repo_id)
        if repo is not None and _ns(repo_id) not in user[1]:
            self._error(403, f"You don't have the rights to write to {_ns(repo_id)}")
            return None
        return repo

    # ---- routes ------------------------------------------------------------------------------
    def do_GET(self) -> None:
        path = unquote(urlparse(self.path).path)
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/tree/[^/]+", path):
            if repo := self._visible(m.group(1)):
                files = [
                    {"type": "file", "path": p, "size": len(b), "oid": _git_oid(b)}
                    for p, b in sorted(repo.files.items())
                ]
                self._send(200, files)
        elif m := re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/[^/]+)?", path):
            if repo := self._visible(m.group(1)):
                self._send(200, _info(repo))
        else:
            self._error(404, f"no route GET {path}")

    def do_PUT(self) -> None:
        path = unquote(urlparse(self.path).path)
        body = self._body()
        if m := re.fullmatch(r"/lfs/([0-9a-f]{64})", path):
            if hashlib.sha256(body).hexdigest() != m.group(1):
                self._error(400, "sha256 mismatch")
                return
            with self.state.lock:
                self.state.lfs[m.group(1)] = body
            self._send(200, {})
        elif m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/settings", path):
            if repo := self._writable(m.group(1)):
                visibility = json.loads(body).get("visibility")
                repo.private = repo.private if visibility is None else visibility == "private"
                self._send(200, {})
        else:
            self._error(404, f"no route PUT {path}")

    def do_POST(self) -> None:
        path = unquote(urlparse(self.path).path)
        body = self._body()
        if path == "/api/repos/create":
            self._create(json.loads(body))
        elif path == "/api/validate-yaml":
            self._send(200, {"errors": [], "warnings": []})
        elif m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/preupload/[^/]+", path):
            if self._writable(m.group(1)):
                files = json.loads(body)["files"]
                self._send(200, {"files": [_upload_mode(f) for f in files]})
        elif m := re.fullmatch(r"/([^/]+/[^/]+)\.git/info/lfs/objects/batch", path):
            if self._writable(m.group(1)):
                self._lfs_batch(json.loads(body))
        elif m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/commit/[^/]+", path):
            if repo := self._writable(m.group(1)):
                self._commit(repo, body)
        else:
            self._error(404, f"no route POST {path}")

    def _create(self, doc: dict[str, Any]) -> None:
        user = self._authorized()
        if user is None:
            return
        ns = doc.get("organization") or user[0]
        repo_id = f"{ns}/{doc['name']}"
        if ns not in user[1]:
            self._error(403, f"You don't have the rights to create a model under {ns}")
            return
        with self.state.lock:
            if repo_id in self.state.repos:
                self._error(409, "You already created this model repo")
                return
            private = doc.get("visibility") == "private" or bool(doc.get("private"))
            self.state.repos[repo_id] = Repo(repo_id, private=private)
        self._send(200, {"url": f"{self.base_url}/{repo_id}", "name": repo_id, "id": repo_id})

    def _lfs_batch(self, doc: dict[str, Any]) -> None:
        objects = []
        for obj in doc["objects"]:
            entry = {"oid": obj["oid"], "size": obj["size"]}
            if obj["oid"] not in self.state.lfs:
                entry["actions"] = {"upload": {"href": f"{self.base_url}/lfs/{obj['oid']}"}}
            objects.append(entry)
        self._send(200, {"transfer": "basic", "objects": objects})

    def _commit(self, repo: Repo, body: bytes) -> None:
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        files = dict(repo.files)
        summary = ""
        for line in lines:
            key, value = line["key"], line["value"]
            if key == "header":
                summary = value["summary"]
            elif key == "file":
                files[value["path"]] = base64.b64decode(value["content"])
            elif key == "lfsFile":
                if value["oid"] not in self.state.lfs:
                    self._error(422, f"LFS object {value['oid']} was never uploaded")
                    return
                files[value["path"]] = self.state.lfs[value["oid"]]
            elif key == "deletedFile":
                files.pop(value["path"], None)
            else:
                self._error(400, f"unsupported commit operation {key}")
                return
        with self.state.lock:
            repo.files = files
            repo.commits.append(summary)
        self._send(
            200,
            {
                "commitUrl": f"{self.base_url}/{repo.repo_id}/commit/{repo.sha}",
                "commitOid": repo.sha,
            },
        )


def _ns(repo_id: str) -> str:
    return repo_id.split("/", 1)[0]


def _git_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _upload_mode(f: dict[str, Any]) -> dict[str, Any]:
    lfs = f["path"].endswith(LFS_SUFFIXES) or f["size"] >= 10 * 1024 * 1024
    return {"path": f["path"], "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False}


def _info(repo: Repo) -> dict[str, Any]:
    return {
        "id": repo.repo_id,
        "modelId": repo.repo_id,
        "author": _ns(repo.repo_id),
        "sha": repo.sha,
        "private": repo.private,
        "tags": repo.tags,
        "siblings": [{"rfilename": p} for p in sorted(repo.files)],
    }
