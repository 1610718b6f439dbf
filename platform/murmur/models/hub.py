"""Publishing store models to the Hugging Face Hub: `models/<name>/` becomes the repo `ORG/<name>`.

What goes up is the store's folder as it is (weights or adapter, tokenizer, generation config,
manifest), except two files adjusted for the Hub in the pushed copy only:

    README.md            the card rendered again with the Hub id in "How to use"
                         (`pipeline('text-generation', model='ORG/name')`, as huggingtweets' cards)
                         and the Hub's metadata: `base_model` (the base's Hub id),
                         `library_name` (`peft` for an adapter) and `pipeline_tag` (card.py)
    adapter_config.json  a LoRA bot's `base_model_name_or_path` set to its base's Hub id

Rules:
- The token is `huggingface_hub.get_token()`'s: `HF_TOKEN`, else the saved login
  (`hf auth login`). It stays in memory: never written to job.json, a log, a card or a manifest.
- A repo murmur created carries the `murmur` tag (the card's YAML metadata, which the Hub turns
  into repo tags): pushing again replaces its files. Any other existing repo is refused unless
  `force`, which replaces its files too (`.gitattributes` stays).
- A LoRA bot (manifest `method == "lora"`) needs a base on the Hub (a base hash `hub:<id>@<rev>`,
  `murmur.models.base.hub_hash`): an adapter on `tiny` or a local folder is useless to Hub users.
- `private` makes a new repo private, and an existing public one private; it never makes a
  repo public.
- Every failure of one model is one line (`PushOutcome.error`); the other models go on.

`HF_ENDPOINT` is read when pushing (huggingface_hub reads it once, at import), so that a process
can point at another Hub, e.g. the tests' stand-in on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx2
from huggingface_hub import HfApi, constants, get_token
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from murmur.core.errors import HubError, MurmurError, first_line
from murmur.core.manifest import ModelManifest
from murmur.core.store import Store
from murmur.models.card import PROJECT_TAG, render_card
from murmur.models.publish import POSTS

README = "README.md"
ADAPTER_CONFIG = "adapter_config.json"  # PEFT's adapter folder
LOGIN_HINT = "set HF_TOKEN to a token with write access, or run `hf auth login`"
# A Hub user or organization name (the Hub's rule: letters, digits, `-`, `_`, `.`; no `--`/`..`
# and no `-`/`.` at either end; at most 96 characters with the repo name, checked by the Hub).
_ORG_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")


@dataclass
class PushOutcome:
    """One model's push: `url` of its Hub repo when it went up, else `error` in one line."""

    model: str
    repo_id: str
    url: str | None = None
    error: str | None = None
    created: bool = False  # the repo was created by this push

    @property
    def ok(self) -> bool:
        return self.error is None


def check_org(org: str) -> str:
    """`org` if it is a valid Hub user or organization name; else HubError in one line."""
    if not _ORG_RE.fullmatch(org) or "--" in org or ".." in org:
        raise HubError(
            f"--hub-org {org!r} is no Hugging Face user or organization name: use letters, "
            "digits, `-`, `_` and `.`, e.g. --hub-org my-bots"
        )
    return org


def hub_token() -> str:
    """The token to push with (HF_TOKEN, else the saved login). Raises HubError in one line when
    there is none, or when HF_HUB_OFFLINE forbids reaching the Hub."""
    if constants.is_offline_mode():
        raise HubError("HF_HUB_OFFLINE is set: unset it (and TRANSFORMERS_OFFLINE) to push")
    token = get_token()
    if not token:
        raise HubError(f"no Hugging Face token: {LOGIN_HINT}")
    return token


def hub_api(token: str) -> HfApi:
    """A client for `$HF_ENDPOINT` (read now), else the Hub, with `token`."""
    return HfApi(endpoint=os.environ.get("HF_ENDPOINT") or constants.ENDPOINT, token=token)


def push_models(
    store: Store, names: Iterable[str], org: str, *, private: bool = False, force: bool = False
) -> list[PushOutcome]:
    """Push each model to `ORG/<name>`, one outcome per name in order. Raises HubError (before
    any push) for a bad org or no token; every other failure is that model's `error`."""
    check_org(org)
    api = hub_api(hub_token())
    return [push_one(api, store, name, org, private=private, force=force) for name in names]


def push_one(
    api: HfApi, store: Store, name: str, org: str, *, private: bool, force: bool
) -> PushOutcome:
    """`push_model` with its failure, if any, caught as one line."""
    repo_id = f"{org}/{name}"
    try:
        url, created = push_model(api, store, name, repo_id, private=private, force=force)
    except MurmurError as e:
        return PushOutcome(name, repo_id, error=first_line(e))
    except HfHubHTTPError as e:
        return PushOutcome(name, repo_id, error=http_error_line(e, repo_id))
    except httpx2.TransportError as e:
        return PushOutcome(name, repo_id, error=f"cannot reach {api.endpoint}: {first_line(e)}")
    return PushOutcome(name, repo_id, url=url, created=created)


def push_model(
    api: HfApi, store: Store, name: str, repo_id: str, *, private: bool, force: bool
) -> tuple[str, bool]:
    """Publish the store's model `name` as the Hub repo `repo_id`; returns (its URL, whether the
    repo was created). Raises ModelNotFoundError, HubError or huggingface_hub's HTTP errors."""
    manifest = store.load_manifest(name)
    base_id = _lora_base_on_hub(manifest)  # None: not a LoRA bot
    created = _ensure_repo(api, repo_id, private=private, force=force)
    local = Path(store.local_model_dir(name))
    with tempfile.TemporaryDirectory(prefix="murmur-hub-") as tmp:
        staged = _stage(local, Path(tmp), render_card(manifest, repo_id), base_id)
        api.upload_folder(
            repo_id=repo_id,
            folder_path=staged,
            commit_message=f"murmur: publish {name} ({manifest.version or 'unversioned'})",
            delete_patterns="*",  # the repo holds this model's files and no stale ones
        )
    return f"{api.endpoint}/{repo_id}", created


def _lora_base_on_hub(manifest: ModelManifest) -> str | None:
    """A LoRA bot's base as a Hub id; None for a full model (manifests from before `method`
    existed read as "full"). HubError when the base is not on the Hub."""
    if manifest.method != "lora":
        return None
    base_hash = manifest.base_model_hash
    if not base_hash.startswith("hub:"):
        raise HubError(
            f"{manifest.name} is a LoRA adapter on base {manifest.base_model!r}, which is not on "
            "the Hub: train it on a Hub base (e.g. --base-model gpt2) to push it"
        )
    return base_hash.removeprefix("hub:").rsplit("@", 1)[0]


def _ensure_repo(api: HfApi, repo_id: str, *, private: bool, force: bool) -> bool:
    """Create `repo_id`, or check that murmur may write to the existing one; True if created."""
    try:
        info = api.model_info(repo_id)
    except RepositoryNotFoundError:
        try:
            api.create_repo(repo_id, private=private)
        except HfHubHTTPError as e:
            if _status(e) == 409:
                raise HubError(
                    f"{repo_id} is taken by a repo this token cannot see: pick another "
                    "--hub-org, or use a token that can read it"
                ) from None
            raise
        return True
    if PROJECT_TAG not in (info.tags or []) and not force:
        raise HubError(
            f"{repo_id} exists on the Hub and was not made by murmur (no `{PROJECT_TAG}` tag): "
            "pick another --hub-org, or pass --force to replace its files"
        )
    if private and not info.private:
        api.update_repo_settings(repo_id, private=True)
    return False


def _stage(local: Path, tmp: Path, card: str, base_id: str | None) -> Path:
    """A folder of links to the model's files, with the Hub's card (and a LoRA bot's adapter
    config naming its Hub base) written in place of the store's: nothing large is copied."""
    staged = tmp / "model"
    staged.mkdir()
    for f in sorted(local.iterdir()):
        if f.is_file() and f.name not in (README, ADAPTER_CONFIG, POSTS):  # posts stay home
            (staged / f.name).symlink_to(f.resolve())
    (staged / README).write_text(card, encoding="utf-8")
    adapter = local / ADAPTER_CONFIG
    if adapter.is_file():
        config = json.loads(adapter.read_text(encoding="utf-8"))
        if base_id is not None:
            config["base_model_name_or_path"] = base_id
        (staged / ADAPTER_CONFIG).write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    return staged


def _status(e: HfHubHTTPError) -> int | None:
    return e.response.status_code if e.response is not None else None


def http_error_line(e: HfHubHTTPError, repo_id: str) -> str:
    """The Hub's refusal as one line saying what to do."""
    status = _status(e)
    org = repo_id.split("/", 1)[0]
    if status == 401:
        return f"the Hub refused the token (HTTP 401): {LOGIN_HINT}"
    if status == 403:
        return (
            f"this token may not write to {org} (HTTP 403): use a token with write access to "
            f"{org}, or another --hub-org"
        )
    server = (getattr(e, "server_message", None) or "").strip()
    reason = server.splitlines()[0] if server else first_line(e)
    return f"the Hub answered HTTP {status} for {repo_id}: {reason}"
