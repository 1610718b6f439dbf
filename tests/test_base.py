"""Base models: the generated corpus, the tiny preset in the store, content hashes, hub ids."""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from murmur.core.errors import ConfigError, StoreError
from murmur.core.store import Store
from murmur.data import synthetic
from murmur.models import corpus
from murmur.models.base import check_base, folder_hash, hub_hash, resolve_base
from murmur.models.tiny import (
    INFO_FILE,
    PRETRAIN_MICRO_BATCH,
    STEPS_ENV,
    TinyInfo,
    tiny_folder_name,
)

QUICK_STEPS = 2  # a quick build: same corpus, tokenizer and shapes as the preset, 2 steps


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _persona_words() -> set[str]:
    """Every word a synthetic account can tweet: the personas' fields and names, and the literal
    text of the tweet templates (`_tweet_text`, its docstring aside)."""
    words: set[str] = set()
    for p in synthetic.PERSONAS.values():
        for group in (p.subjects, p.verbs, p.things, p.feelings, p.hashtags, p.friends):
            for item in group:
                words |= _words(item)
        words |= _words(p.display_name) | _words(p.handle.replace("_", " "))
    func = ast.parse(inspect.getsource(synthetic._tweet_text)).body[0]
    assert isinstance(func, ast.FunctionDef)
    for node in ast.walk(ast.Module(body=func.body[1:], type_ignores=[])):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words |= _words(re.sub(r"\{[^}]*\}", " ", node.value))
    for other in synthetic._OTHERS:
        words |= _words(other)
    return words


# ---- the corpus ------------------------------------------------------------------------------
def test_corpus_words_are_disjoint_from_the_personas() -> None:
    persona = _persona_words()
    assert {"sourdough", "marmot", "linter", "zucchini", "yes", "today"} <= persona  # the probe
    vocabulary = corpus.vocabulary()
    assert len(vocabulary) > 500
    assert vocabulary & persona <= corpus.SHARED_FUNCTION_WORDS
    assert not (vocabulary & persona) - corpus.SHARED_FUNCTION_WORDS


def test_generated_text_uses_only_its_vocabulary_and_no_persona_tags() -> None:
    docs = corpus.generate_corpus(3000)
    text = "\n".join(docs)
    assert _words(text) <= corpus.vocabulary()
    for p in synthetic.PERSONAS.values():
        for tag in (*p.hashtags, *p.friends):
            assert tag not in text
    assert not set(synthetic._EMOJI) & set(text)
    assert all(0 < len(d) <= 280 for d in docs)
    assert any("@" in d for d in docs) and any("#" in d for d in docs)
    assert any(re.search(r"\d", d) for d in docs) and any("?" in d for d in docs)


def test_corpus_is_seeded() -> None:
    assert corpus.generate_corpus(50) == corpus.generate_corpus(50)
    assert corpus.generate_corpus(50, seed=1) != corpus.generate_corpus(50)


# ---- content hashes --------------------------------------------------------------------------
def _folder(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_folder_hash_is_stable_and_changes_with_any_file(tmp_path: Path) -> None:
    files = {"config.json": "{}", "model.safetensors": "w" * 1000, "sub/tokenizer.json": "t"}
    first = folder_hash(_folder(tmp_path / "a", files))
    again = folder_hash(_folder(tmp_path / "b", dict(reversed(files.items()))))
    assert first == again and re.fullmatch(r"sha256:[0-9a-f]{64}", first)
    assert folder_hash(_folder(tmp_path / "c", {**files, "config.json": "{ }"})) != first
    renamed = {("x.json" if k == "config.json" else k): v for k, v in files.items()}
    assert folder_hash(_folder(tmp_path / "d", renamed)) != first
    assert folder_hash(_folder(tmp_path / "e", {**files, "extra": ""})) != first


def _fake_hub_cache(root: Path, repo: str, commit: str) -> Path:
    repo_dir = root / f"models--{repo.replace('/', '--')}"
    (repo_dir / "refs").mkdir(parents=True)
    (repo_dir / "refs" / "main").write_text(commit)
    snapshot = repo_dir / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text('{"model_type": "gpt2"}')
    return snapshot


def test_hub_id_hash_names_the_cached_commit(
    tmp_path: Path, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    commit = "a" * 40
    snapshot = _fake_hub_cache(tmp_path / "hub", "gpt2", commit)
    base = resolve_base("gpt2", Store(str(store_dir)))
    assert base.hash == hub_hash("gpt2") == f"hub:gpt2@{commit}"
    assert base.path == str(snapshot)
    assert base.description == "[gpt2](https://huggingface.co/gpt2)"
    uncached = resolve_base("openai-community/gpt2-medium", Store(str(store_dir)))
    assert uncached.hash == "hub:openai-community/gpt2-medium@main"
    assert uncached.path == "openai-community/gpt2-medium"
    assert hub_hash("gpt2", revision="v2") == "hub:gpt2@v2"


def test_local_folder_base(tmp_path: Path, store_dir: Path) -> None:
    folder = _folder(tmp_path / "my-gpt2", {"config.json": '{"model_type": "gpt2", "n_layer": 3}'})
    base = resolve_base(str(folder), Store(str(store_dir)))
    assert base.path == str(folder.resolve()) and base.hash == folder_hash(folder)
    assert base.description == f"the local model folder `{folder.resolve()}` (gpt2, 3 layers)"
    with pytest.raises(ConfigError, match="does not exist"):
        resolve_base("./no-such-folder", Store(str(store_dir)))


def test_check_base_fails_fast_in_one_line(tmp_path: Path) -> None:
    check_base("tiny")
    with pytest.raises(ConfigError, match="cannot load base model") as e:
        check_base(str(_folder(tmp_path / "empty", {"README.md": "no model here"})))
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("offline", [True, False])
def test_check_base_refuses_an_unreachable_hub_at_once(
    offline: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A hub id neither cached nor reachable is one line within seconds, without
    huggingface_hub's ~30 s of logged retries (field report: `murmur train` offline)."""
    import socket
    import time

    from huggingface_hub import constants

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", offline)
    monkeypatch.setattr(constants, "ENDPOINT", f"http://127.0.0.1:{port}")
    start = time.monotonic()
    with pytest.raises(ConfigError) as e:
        check_base("murmur-tests/no-such-model")
    reason = "HF_HUB_OFFLINE is set" if offline else f"127.0.0.1:{port} cannot be reached"
    assert reason in str(e.value) and "`tiny`" in str(e.value) and "\n" not in str(e.value)
    assert time.monotonic() - start < 15 and "Retrying" not in caplog.text


# ---- the tiny preset in the store (quick builds) ---------------------------------------------
@pytest.fixture
def quick_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine cache holding a quick tiny build (2 steps), shared by this module's tests."""
    cache = tmp_path_factory.getbasetemp() / "quick-murmur-cache"
    monkeypatch.setenv("MURMUR_CACHE", str(cache))
    monkeypatch.setenv(STEPS_ENV, str(QUICK_STEPS))
    return cache


@pytest.mark.slow
def test_tiny_lives_in_each_store_copied_from_the_machine_cache(
    quick_cache: Path, tmp_path: Path
) -> None:
    from transformers import AutoConfig, AutoTokenizer

    first = resolve_base("tiny", Store(str(tmp_path / "s1")))
    folder = tiny_folder_name(QUICK_STEPS)
    assert folder == "tiny-v1-steps2"
    assert Path(first.path) == tmp_path / "s1" / "base" / folder
    assert (quick_cache / "base" / folder / "config.json").is_file()
    second = resolve_base("tiny", Store(str(tmp_path / "s2")))
    assert second.hash == first.hash == folder_hash(quick_cache / "base" / folder)
    assert second.path != first.path
    info = TinyInfo.model_validate_json(Path(first.path, INFO_FILE).read_text())
    assert info.steps == QUICK_STEPS and info.tokens == QUICK_STEPS * PRETRAIN_MICRO_BATCH * 256
    assert "pre-trained locally on generated English-like text (2 steps" in first.description
    tok = AutoTokenizer.from_pretrained(first.path)
    assert tok.all_special_tokens == ["<|endoftext|>"]
    assert tok.eos_token == tok.bos_token == "<|endoftext|>"
    assert tok.decode(tok("Hello there, @leo42!")["input_ids"]) == "Hello there, @leo42!"
    config = AutoConfig.from_pretrained(first.path)
    assert (config.n_layer, config.n_embd, config.n_positions) == (2, 64, 256)
    check_base(first.path)


@pytest.mark.slow
def test_object_store_uploads_once_and_nodes_load_a_verified_copy(
    quick_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fsspec

    store = Store("memory://murmur-test-store")
    base = resolve_base("tiny", store)
    folder = tiny_folder_name(QUICK_STEPS)
    hex_digest = base.hash.removeprefix("sha256:")
    assert Path(base.path) == quick_cache / "bases" / hex_digest
    assert base.hash == folder_hash(quick_cache / "base" / folder) == folder_hash(base.path)
    assert store.fs.cat(store.path("base", f"{folder}.sha256")).decode().strip() == base.hash
    # Another node: no local copy yet, and a file in the store was changed since the upload.
    monkeypatch.setenv("MURMUR_CACHE", str(quick_cache.parent / "other-node"))
    store.fs.pipe(store.path("base", folder, INFO_FILE), b"{}")
    with pytest.raises(StoreError, match="does not match its hash"):
        resolve_base("tiny", store)
    fsspec.filesystem("memory").rm("/murmur-test-store", recursive=True)


_ASK = """
import json, logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
from murmur.models.base import resolve_base
from murmur.core.store import Store
print(resolve_base("tiny", Store(sys.argv[1])).model_dump_json())
"""


@pytest.mark.slow
def test_two_processes_asking_at_once_get_one_build(tmp_path: Path) -> None:
    env = {**os.environ, "MURMUR_CACHE": str(tmp_path / "cache"), STEPS_ENV: str(QUICK_STEPS)}
    root = str(tmp_path / "store")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _ASK, root],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in outs]
    logs = "".join(err for _, err in outs)
    assert logs.count("tiny base: built in") == 1, logs
    bases = [json.loads(out) for out, _ in outs]
    assert bases[0] == bases[1]
    assert bases[0]["path"] == str(tmp_path / "store" / "base" / tiny_folder_name(QUICK_STEPS))
    leftovers = [p.name for p in (tmp_path / "store" / "base").iterdir() if not p.is_dir()]
    assert all(name.endswith(".lock") for name in leftovers)  # no half-built folder left
