"""A refresh's data (`murmur refresh`): a published bot's new posts, merged into the store's cache
(murmur.data.new_posts), and what its next version trains and is scored on.

    prepare_refresh(spec, store=...) -> PrepareOutcome    what the refresh job's prepare step runs

What the next version trains on (the rule the README states):

- continued (the default): every new post kept by huggingtweets' rules, but the held-back part
  (rules.split_validation with the model's seed, 10%), plus as many old training posts as new
  ones, at least REPLAY_MIN (or all of them when there are fewer), drawn with the model's seed
  from the published version's posts.json `train`, so that the bot does not forget its account;
  4 shuffled epochs of that mix (rules.build_training_text). Training starts from the published
  weights (full) or adapter (LoRA).
- from the base (`--from-base`): every kept post of the merged cache, but the two validation sets,
  as `murmur train --force` would train it.

Either way it is scored, before and after, on two sets: the new posts' held-back part and the
previous version's own validation posts (posts.json `validation`). Posts found deleted are in
neither. "New" is relative to the CURRENT version, not to the raw cache's last read (the cache
is only a cache): a kept post is new when its cleaned text is in neither the current version's
posts.json `train` nor its `validation`, so the posts read by refreshes that were skipped pile
up, and a version rolled back to (`murmur rollback`) is brought up to date; a post that is not
kept (a retweet, a short one) counts as new when the cache had not seen it. A version without
posts.json (published before it existed) counts against the cache's last read. A refresh whose kept new posts are under the data rules' minimum (rules.MIN_CHARS
characters joined) trains nothing: the outcome is `skipped` with that reason. A handle that
opted out (its profile, or the store's denylist) has its bots taken down as `murmur optout` does.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from murmur.core.errors import MurmurError, OptedOutError, StoreError
from murmur.core.generation import EOS
from murmur.core.handles import ModelSpec
from murmur.core.manifest import HandleStats, ModelManifest, RefreshRecord
from murmur.core.seeds import DEFAULT_SEED, model_seed
from murmur.core.store import Store
from murmur.data import rules
from murmur.data.consent import opt_out, refuse_if_denied
from murmur.data.prepare import (
    PreparedModel,
    PrepareOutcome,
    RefreshPlan,
    check_size,
    handle_stats,
)
from murmur.data.sources import DEFAULT_MAX_POSTS

if TYPE_CHECKING:
    from murmur.core.tweets import Account
    from murmur.data.new_posts import PostsUpdate

    Updates = list[tuple[Account | None, PostsUpdate]]  # (the cache before the read, the read)

log = logging.getLogger(__name__)

REPLAY_MIN = 100
"""Old training posts replayed at least (when the bot has that many): a few new posts must not
make the bot its last week alone."""


def prepare_refresh(
    spec: ModelSpec,
    *,
    store: Store,
    tweets_dir: str | None = None,
    check_deleted: bool = False,
    max_posts: int = DEFAULT_MAX_POSTS,
    from_base: bool = False,
    seed: int = DEFAULT_SEED,
) -> PrepareOutcome:
    """Read the published bot `spec.name`'s new posts and prepare its next version (module
    docstring). Never raises for the bot's own problem: the outcome is prepared, `skipped` (too
    few new posts) or failed with its reason; an opted-out handle's bots are deleted and named
    in `taken_down`. `seed` is the job's (the model's own derives from it, as in training)."""
    name = spec.name
    read = _read_each(spec, store, tweets_dir, check_deleted, max_posts)
    if isinstance(read, PrepareOutcome):
        return read
    manifest, version, updates, stats, report = read
    own_seed = model_seed(seed, name)
    doc = _version_posts(store, name, manifest)
    seen = None if doc is None else {*doc.get("train", []), *doc.get("validation", [])}
    new_ids = [_new_since_version(u, seen) for _, u in updates]
    if seen is not None:
        report += [
            f"@{u.handle}: {len(ids):,} posts not in version {version} (counted against its "
            f"{manifest.posts}: posts read by skipped refreshes count)"
            for (_, u), ids in zip(updates, new_ids, strict=True)
        ]
    record = _record(version, from_base, updates, new_ids, manifest)
    new_kept = [
        [p for p in dict.fromkeys(_kept_of(u.account.tweets, set(ids))) if p not in (seen or ())]
        for (_, u), ids in zip(updates, new_ids, strict=True)
    ]
    new_chars = len(EOS.join(p for kept in new_kept for p in kept))
    if new_chars < rules.MIN_CHARS:
        n = sum(len(k) for k in new_kept)
        since = "since the last read" if seen is None else f"that version {version} has not seen"
        reason = (
            f"too few new posts: {n} kept {since} ({new_chars:,} characters, under "
            f"the {rules.MIN_CHARS:,} the data rules need): nothing published"
        )
        return PrepareOutcome(name, stats, skipped=reason, report=report, refresh=record)
    deleted = _deleted_texts(updates)
    old_train, old_val, warnings = _old_posts(doc, name, updates, own_seed)
    old_train = [p for p in old_train if p not in deleted]
    old_val = [p for p in old_val if p not in deleted]
    splits = [rules.split_validation(k, own_seed) for k in new_kept]
    new_train = [p for tr, _ in splits for p in tr]
    new_val = [p for _, va in splits for p in va]
    train_text, trained = _training_posts(
        record, updates, from_base, own_seed, new_train, old_train, set(new_val) | set(old_val)
    )
    record.validation_new, record.validation_old = len(new_val), len(old_val)
    warnings += [w for stat in stats if (w := check_size(stat)) is not None]
    plan = RefreshPlan(
        record=record,
        start_version=None if from_base else version,
        new_val_text=rules.build_validation_text([new_val]),
        old_val_text=rules.build_validation_text([old_val]),
        trained_posts=trained,
        history=version_history(store, name),
    )
    prepared = PreparedModel(
        spec=spec,
        stats=stats,
        train_text=train_text,
        val_text=rules.build_validation_text([new_val, old_val]),
        seed=own_seed,
        warnings=warnings,
        posts_read_at={u.handle: u.read_at for _, u in updates},
        refresh=plan,
    )
    return PrepareOutcome(name, stats, prepared=prepared, warnings=warnings, report=report)


def _read_each(
    spec: ModelSpec, store: Store, tweets_dir: str | None, check_deleted: bool, max_posts: int
) -> PrepareOutcome | tuple[ModelManifest, str, Updates, list[HandleStats], list[str]]:
    """Each handle's new posts read (data.new_posts): the bot's manifest and current version,
    the reads, the handles' figures now and the report's lines; or the failed outcome (an
    opted-out handle's bots taken down, any other MurmurError as its reason)."""
    from murmur.data.new_posts import read_new_posts, report_lines

    stats: list[HandleStats] = []
    report: list[str] = []
    try:
        manifest = store.load_manifest(spec.name)
        version = store.resolve_version(spec.name)
        updates: Updates = []
        for handle in spec.handles:
            refuse_if_denied(store, handle)
            before = store.load_raw(handle)
            update = read_new_posts(
                handle, store, tweets_dir=tweets_dir, check_deleted=check_deleted,
                max_posts=max_posts,
            )  # fmt: skip
            updates.append((before, update))
            stat = handle_stats(handle, update.account, rules.filter_tweets(update.account.tweets))
            stats.append(stat)
            previous = next((s for s in manifest.stats if s.handle == stat.handle), None)
            report += report_lines(update, previous, stat)
    except OptedOutError as e:
        taken = opt_out(store, [h for h in spec.handles if _named(h, str(e))] or spec.handles)
        return PrepareOutcome(spec.name, stats, error=f"{e}: bot taken down", taken_down=taken)
    except MurmurError as e:
        return PrepareOutcome(spec.name, stats, error=str(e))
    return manifest, version, updates, stats, report


def _record(
    version: str,
    from_base: bool,
    updates: Updates,
    new_ids: list[list[str]],
    manifest: ModelManifest,
) -> RefreshRecord:
    """The refresh's record (into the manifest and the card): per handle its new posts (against
    the current version), deleted posts, how deletions were looked for and the reads made."""
    return RefreshRecord(
        from_version=version,
        mode="from_base" if from_base else "continued",
        new_posts={u.handle: len(ids) for (_, u), ids in zip(updates, new_ids, strict=True)},
        deleted_posts={u.handle: len(u.deleted_ids) for _, u in updates},
        deletions={u.handle: u.deletions for _, u in updates},
        reads={u.handle: u.reads for _, u in updates},
        previous_stats=list(manifest.stats),
    )


def _deleted_texts(updates: Updates) -> set[str]:
    """The cleaned texts of the cached posts each read found deleted (left out of everything)."""
    return {
        rules.clean_text(t.text)
        for before, u in updates
        if before is not None
        for t in before.tweets
        if t.id in set(u.deleted_ids)
    }


def _training_posts(
    record: RefreshRecord,
    updates: Updates,
    from_base: bool,
    seed: int,
    new_train: list[str],
    old_train: list[str],
    held: set[str],
) -> tuple[str, list[str]]:
    """The training text and the distinct posts it trains on: `from_base`, every kept post but
    the held-back ones; else the new posts plus old ones replayed (`draw_old_posts`). Sets the
    record's train_new / train_old counts."""
    if from_base:
        per_handle = [
            [p for p in rules.filter_tweets(u.account.tweets).kept if p not in held]
            for _, u in updates
        ]
        trained = list(dict.fromkeys(p for posts in per_handle for p in posts))
        record.train_new, record.train_old = len(new_train), len(trained) - len(new_train)
        return rules.build_training_text(per_handle, seed), trained
    replay = draw_old_posts(old_train, len(new_train), seed)
    record.train_new, record.train_old = len(new_train), len(replay)
    trained = list(dict.fromkeys(old_train + new_train))
    return rules.build_training_text([new_train + replay], seed), trained


def draw_old_posts(old_train: Sequence[str], new_count: int, seed: int) -> list[str]:
    """The old training posts a continued refresh replays: max(new_count, REPLAY_MIN) of them
    (all of them when there are fewer), drawn without repeats by the model's seed."""
    wanted = min(len(old_train), max(new_count, REPLAY_MIN))
    return random.Random(f"replay:{seed}").sample(list(old_train), wanted)


def version_history(store: Store, name: str) -> list[dict[str, Any]]:
    """The kept versions of `name`, newest first, as ModelManifest.summary gives them; a version
    whose manifest cannot be read is left out."""
    out = []
    for version in store.list_versions(name):
        try:
            out.append(ModelManifest.from_json(store.version_manifest(name, version)).summary())
        except (MurmurError, TypeError):
            continue
    return out


def _kept_of(tweets: Sequence[Any], ids: set[str]) -> list[str]:
    """The kept (cleaned) texts of the posts whose id is in `ids`, by huggingtweets' rules."""
    return rules.filter_tweets([t for t in tweets if t.id in ids]).kept


def _named(handle: str, message: str) -> bool:
    return f"@{handle} " in message or f"@{handle}:" in message


def _version_posts(store: Store, name: str, manifest: ModelManifest) -> dict[str, Any] | None:
    """The current version's posts.json ({"train": [...], "validation": [...], ...}: cleaned
    texts), or None for a version without one (or one that cannot be read: logged)."""
    if not manifest.posts:
        return None
    try:
        doc = store.read_json(f"{store.current_path(name)}/{manifest.posts}")
    except (FileNotFoundError, StoreError) as e:
        log.warning("%s: cannot read its %s (%s)", name, manifest.posts, e)
        return None
    return doc if isinstance(doc, dict) else None


def _new_since_version(update: Any, seen: set[str] | None) -> list[str]:
    """The ids of `update`'s posts that are new to the current version (module docstring): the
    kept ones whose cleaned text is not in `seen`, and the others the cache had not seen; with
    no posts.json (`seen` None), the cache's own new ids."""
    if seen is None:
        return list(update.new_ids)
    cache_new = set(update.new_ids)
    out = []
    for t in update.account.tweets:
        cleaned = None if rules.is_retweet(t) else rules.clean_text(t.text)
        kept = cleaned is not None and not rules.is_short(cleaned)
        if (kept and cleaned not in seen) or (not kept and t.id in cache_new):
            out.append(t.id)
    return out


def _old_posts(
    doc: dict[str, Any] | None, name: str, updates: list[Any], seed: int
) -> tuple[list[str], list[str], list[str]]:
    """(old training posts, old validation posts, warnings): the current version's posts.json
    (`doc`); for a bot published before posts.json existed, its split made again from the cached
    posts that are not new (the split its training made, while the cache has not changed
    since)."""
    if doc is not None:
        return list(doc.get("train", [])), list(doc.get("validation", [])), []
    splits = []
    for _, u in updates:
        new = set(u.new_ids)
        splits.append(
            rules.split_validation(
                _kept_of(u.account.tweets, {t.id for t in u.account.tweets} - new), seed
            )
        )
    warning = f"{name}: no posts.json in its version: its old posts were split again from the cache"
    return [p for tr, _ in splits for p in tr], [p for _, va in splits for p in va], [warning]
