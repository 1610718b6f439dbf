"""From handles to training data: fetch each account, apply huggingtweets' rules, build the
training and validation text, and record the four figures per handle."""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from murmur.core.clock import utc_stamp
from murmur.core.errors import DataError, MurmurError
from murmur.core.handles import ModelSpec
from murmur.core.manifest import HandleStats, RefreshRecord
from murmur.core.seeds import DEFAULT_SEED, model_seed
from murmur.core.store import Store
from murmur.core.tracking import log_artifact, log_handle_stats, run_url, wandb_run
from murmur.core.tweets import Account
from murmur.data import rules
from murmur.data.consent import refuse_if_denied
from murmur.data.sources import DEFAULT_MAX_POSTS, load_account

log = logging.getLogger(__name__)


@dataclass
class RefreshPlan:
    """What a refresh's trainer needs beyond the texts (murmur.data.refresh_plan makes it)."""

    record: RefreshRecord
    """The figures so far; the trainer fills in the losses (murmur.train.per_model)."""
    start_version: str | None
    """The published version training continues from; None with --from-base."""
    new_val_text: str
    """The new posts' held-back part, EOS-joined (scored before and after)."""
    old_val_text: str
    """The previous version's validation posts, EOS-joined (scored before and after)."""
    trained_posts: list[str] = field(default_factory=list)
    """Every post the bot has now trained on (the previous posts.json `train` and the new
    training posts): posts.json's `train`, which the next refresh draws old posts from."""
    history: list[dict[str, Any]] = field(default_factory=list)
    """The kept versions' summaries (ModelManifest.summary), newest first: the card's Versions."""

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.record.to_json(),
            "start_version": self.start_version,
            "new_val_text": self.new_val_text,
            "old_val_text": self.old_val_text,
            "trained_posts": list(self.trained_posts),
            "history": list(self.history),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> RefreshPlan:
        return cls(
            record=RefreshRecord.from_json(d["record"]),
            start_version=d.get("start_version"),
            new_val_text=d["new_val_text"],
            old_val_text=d["old_val_text"],
            trained_posts=list(d.get("trained_posts", [])),
            history=list(d.get("history", [])),
        )


@dataclass
class PreparedModel:
    """Everything training needs for one model."""

    spec: ModelSpec
    stats: list[HandleStats]
    train_text: str
    val_text: str
    seed: int = DEFAULT_SEED  # the model's own seed (murmur.core.seeds.model_seed), not the job's
    warnings: list[str] = field(default_factory=list)
    wandb: dict[str, str] = field(default_factory=dict)  # {"preprocess": URL} when tracked online
    posts_read_at: dict[str, str] = field(
        default_factory=dict
    )  # handle -> when its posts were read
    refresh: RefreshPlan | None = None  # set by `murmur refresh` (murmur.data.refresh_plan)

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class PrepareOutcome:
    """One model's preparation, successful or not, as `murmur prepare` reports it."""

    model: str  # the model name, or the refused text of an invalid handle
    stats: list[HandleStats]
    prepared: PreparedModel | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    skipped: str | None = None  # a refresh with too few new posts: why nothing is trained
    taken_down: list[str] = field(default_factory=list)  # models deleted: a handle opted out
    report: list[str] = field(default_factory=list)  # a refresh's figures per handle, old and new
    refresh: RefreshRecord | None = None  # a skipped refresh's record (new posts, figures before)

    @property
    def ok(self) -> bool:
        return self.prepared is not None

    @classmethod
    def refused(cls, raw: str, reason: str) -> PrepareOutcome:
        """An invalid handle: reported beside the others, never fetched."""
        return cls(model=raw, stats=[], error=reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "handles": [
                {k: v for k, v in s.to_json().items() if k != "avatar_url"} for s in self.stats
            ],
            "status": "ok" if self.ok else "failed",
            "error": self.error,
            "warnings": self.warnings,
        }


def handle_stats(handle: str, account: Account, result: rules.FilterResult) -> HandleStats:
    """huggingtweets' four figures (and the kept characters, the profile, the source) of one
    handle's posts after the rules (rules.filter_tweets)."""
    return HandleStats(
        handle=handle,
        tweets_downloaded=result.tweets_downloaded,
        retweets=result.retweets,
        short_tweets=result.short_tweets,
        tweets_kept=result.tweets_kept,
        kept_chars=result.kept_chars,
        display_name=account.display_name,
        avatar_url=account.avatar_url,
        source=account.source,
    )


def check_size(stat: HandleStats) -> str | None:
    """huggingtweets' thresholds: an error under 6,000 kept characters, a warning under 40,000."""
    if stat.kept_chars < rules.MIN_CHARS:
        raise DataError(
            f"@{stat.handle}: too little data: {stat.tweets_kept} tweets kept, "
            f"{stat.kept_chars:,} characters, under the {rules.MIN_CHARS:,} needed "
            f"({stat.tweets_downloaded} downloaded, {stat.retweets} retweets, "
            f"{stat.short_tweets} short); combine it with another account (a+b) or add tweets"
        )
    if stat.kept_chars < rules.WARN_CHARS:
        return (
            f"@{stat.handle}: only {stat.kept_chars:,} characters of tweets "
            f"(under {rules.WARN_CHARS:,}): the model may overfit"
        )
    return None


def prepare_model(
    spec: ModelSpec,
    *,
    tweets_dir: Path | str | None = None,
    store: Store | None = None,
    redownload: bool = False,
    seed: int = DEFAULT_SEED,
    use_wandb: bool = False,
    max_posts: int = DEFAULT_MAX_POSTS,
) -> PrepareOutcome:
    """Fetch and prepare one model's data. Never raises for a handle's own problem: the outcome
    carries the error and whatever figures were computed. `seed` is the job's: the model's own
    seed, model_seed(seed, spec.name), splits and shuffles its tweets and is kept with them.
    A handle on the store's denylist (`murmur optout`) fails the model before anything is read;
    at most the `max_posts` most recent posts of each handle are read, from any source;
    `redownload` reads every post from its network again instead of the store's cache."""
    stats: list[HandleStats] = []
    kept: list[list[str]] = []
    raw: dict[str, list[dict[str, Any]]] = {}
    read_at: dict[str, str] = {}
    warnings: list[str] = []
    try:
        for handle in spec.handles:
            refuse_if_denied(store, handle)
        for handle in spec.handles:
            account = load_account(
                handle, tweets_dir=tweets_dir, store=store, refresh=redownload, max_posts=max_posts
            )
            result = rules.filter_tweets(account.tweets)
            stat = handle_stats(handle, account, result)
            stats.append(stat)
            kept.append(result.kept)
            raw[handle] = [t.to_json() for t in account.tweets]
            read_at[handle] = account.read_at or utc_stamp()  # None: read from its source now
        for stat in stats:
            if (warning := check_size(stat)) is not None:
                warnings.append(warning)
                log.debug(warning)  # the commands print `warnings`: once, not again as a log line
    except MurmurError as e:
        return PrepareOutcome(spec.name, stats, error=str(e), warnings=warnings)

    own_seed = model_seed(seed, spec.name)
    splits = [rules.split_validation(k, own_seed) for k in kept]
    prepared = PreparedModel(
        spec=spec,
        stats=stats,
        train_text=rules.build_training_text([tr for tr, _ in splits], own_seed),
        val_text=rules.build_validation_text([va for _, va in splits]),
        seed=own_seed,
        warnings=warnings,
        posts_read_at=read_at,
    )
    if use_wandb:
        _track_preparation(prepared, raw, store)
    return PrepareOutcome(spec.name, stats, prepared=prepared, warnings=warnings)


def _track_preparation(
    prepared: PreparedModel, raw: dict[str, list[dict[str, Any]]], store: Store | None
) -> None:
    """One W&B preprocess run per model: raw-dataset and train-dataset artifacts."""
    config = {
        "model": prepared.name,
        "handles": list(prepared.spec.handles),
        "seed": prepared.seed,
        "rules_version": rules.RULES_VERSION,
        "stats": [s.to_json() for s in prepared.stats],
    }
    directory = f"{store.root}/wandb" if store is not None and store.is_local else None
    with wandb_run(
        enabled=True,
        job_type="preprocess",
        name=f"preprocess-{prepared.name}",
        config=config,
        group=prepared.name,
        directory=directory,
    ) as run:
        if run is None:
            return
        log_handle_stats(run, [s.to_json() for s in prepared.stats])
        if url := run_url(run):
            prepared.wandb["preprocess"] = url
        with tempfile.TemporaryDirectory() as tmp:
            raw_file = Path(tmp) / "raw.json"
            raw_file.write_text(json.dumps(raw, ensure_ascii=False))
            train = Path(tmp) / "train.txt"
            train.write_text(prepared.train_text)
            val = Path(tmp) / "validation.txt"
            val.write_text(prepared.val_text)
            meta = {"stats": config["stats"], "rules_version": rules.RULES_VERSION}
            log_artifact(
                run,
                f"raw-dataset-{prepared.name}",
                "raw-dataset",
                files={"raw.json": raw_file},
                metadata=meta,
            )
            log_artifact(
                run,
                f"train-dataset-{prepared.name}",
                "train-dataset",
                files={"train.txt": train, "validation.txt": val},
                metadata=meta,
            )
