"""How much each bot writes like its own account: `evaluate` judges a set of published bots together.

    bots.read_bot        each bot's manifest, tokenizer and recorded posts (checked first)
    cross_loss           each bot on every account's validation posts (nats per byte), own ranks
    generated            K posts per bot, huggingtweets' sampling, a fixed seed
    attribution          a classifier fitted on the accounts' training posts attributes them
    style                length, mentions, hashtags, emoji, distinct words: real beside generated

An account is a bot's own model: its handles' posts (one handle, or the 2-3 of a combined bot).
One bot's weights are in memory at a time. The result is a record of its own (murmur.evals.
eval_records), since a margin depends on the set of bots judged together.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from murmur.core.clock import new_stamped_id, utc_stamp
from murmur.core.seeds import DEFAULT_SEED
from murmur.core.store import Store
from murmur.evals.attribution import attribute, build_classifier
from murmur.evals.bots import Bot, check_names, check_tokenizers, load_model, read_bot
from murmur.evals.cross_loss import own_ranks, posts_nats
from murmur.evals.generated import generate_posts
from murmur.evals.style import compare_styles

log = logging.getLogger(__name__)

DEFAULT_POSTS = 100  # generated posts per bot: a top-1 accuracy to within ~±0.1 at 95% per bot


@dataclass
class EvalSettings:
    """How an evaluation was measured (stored with its figures)."""

    posts: int = DEFAULT_POSTS  # K generated posts per bot
    seed: int = DEFAULT_SEED  # the sampling seed: post i of every bot uses choice_seed(seed, i)
    sampling: dict[str, Any] = field(default_factory=dict)  # filled in: huggingtweets' settings


@dataclass
class Evaluation:
    """One evaluation: the bots, how it was measured, and its figures (JSON-ready)."""

    id: str
    created: str  # ISO 8601 UTC
    bots: list[dict[str, Any]]  # name, method, base model, base hash, version, tokenizer
    accounts: list[dict[str, Any]]  # name (its bot's), handles, training and validation posts
    settings: dict[str, Any]
    loss: dict[str, dict[str, float]]  # bot -> account -> nats per byte
    ranks: list[dict[str, Any]]  # per account: own bot's rank and margin (cross_loss.OwnRank)
    attribution: dict[str, Any]  # attribution.Attribution as JSON
    style: dict[str, dict[str, Any]]  # bot -> {"real": Style, "generated": Style}
    samples: dict[str, list[str]]  # bot -> its first generated posts
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def names(self) -> list[str]:
        return [b["name"] for b in self.bots]


def _bot_record(bot: Bot) -> dict[str, Any]:
    m = bot.manifest
    return {
        "name": bot.name,
        "method": m.method,
        "base_model": m.base_model,
        "base_model_hash": m.base_model_hash,
        "version": m.version,
        "tokenizer": bot.tokenizer_id,
    }


def _account_record(bot: Bot) -> dict[str, Any]:
    return {
        "name": bot.name,
        "handles": list(bot.manifest.handles),
        "train_posts": len(bot.train_posts),
        "validation_posts": len(bot.val_posts),
    }


def read_bots(store: Store, names: list[str]) -> list[Bot]:
    """Every bot's manifest, tokenizer and posts, checked before any weights load. Raises
    ModelNotFoundError, ConfigError (fewer than 2, a name twice, tokenizers that disagree),
    DataError (a bot without recorded validation posts)."""
    check_names(store, names)
    bots = [read_bot(store, n) for n in names]
    check_tokenizers(bots)
    return bots


def evaluate(store: Store, names: list[str], settings: EvalSettings | None = None) -> Evaluation:
    """Judge the published bots `names` together (see the module docstring). Raises what
    read_bots raises, before any model loads."""
    from murmur.core.generation import (
        EOS,
        MAX_LENGTH,
        MIN_LENGTH,
        TEMPERATURE,
        TOP_K,
        TOP_P,
        context_length,
    )

    settings = settings or EvalSettings()
    settings.sampling = {
        "prompt": EOS,
        "top_p": TOP_P,
        "temperature": TEMPERATURE,
        "top_k": TOP_K,
        "max_length": MAX_LENGTH,
        "min_length": MIN_LENGTH,
    }
    t0 = time.perf_counter()
    bots = read_bots(store, names)
    loss: dict[str, dict[str, float]] = {}
    generated: dict[str, list[str]] = {}
    for bot in bots:
        model = load_model(store, bot)
        positions = context_length(model.config) or MAX_LENGTH
        loss[bot.name] = {}
        for account in bots:
            nats, n_bytes = posts_nats(
                model, bot.tokenizer, bot.eos_id, account.val_posts, positions
            )
            loss[bot.name][account.name] = nats / n_bytes
        generated[bot.name] = generate_posts(
            model, bot.tokenizer, bot.eos_id, settings.posts, settings.seed, positions
        )
        log.info("%s: scored %d accounts, generated %d posts", bot.name, len(bots), settings.posts)
        del model
    train = {b.name: b.train_posts for b in bots}
    result = attribute(build_classifier(train, settings.seed), generated, train)
    return Evaluation(
        id=new_stamped_id(),
        created=utc_stamp(),
        bots=[_bot_record(b) for b in bots],
        accounts=[_account_record(b) for b in bots],
        settings=asdict(settings),
        loss=loss,
        ranks=[asdict(r) for r in own_ranks(loss)],
        attribution=asdict(result),
        style={
            b.name: {
                k: s.to_json() for k, s in compare_styles(b.train_posts, generated[b.name]).items()
            }
            for b in bots
        },
        samples={b: posts[:5] for b, posts in generated.items()},
        seconds=round(time.perf_counter() - t0, 2),
    )


def evaluate_after_job(store: Store, names: list[str], job_id: str) -> str | None:
    """`murmur train --eval`: judge the job's published models together once its trainers are
    done, store the evaluation, and return its id; None (logged) with fewer than 2 models or when
    the evaluation cannot run. Never raises for a MurmurError: the job's models stay published."""
    from murmur.core.errors import MurmurError
    from murmur.evals.evaluations import save_evaluation

    if len(names) < 2:
        log.warning(
            "job %s: --eval skipped: %d model published, eval compares 2 or more",
            job_id,
            len(names),
        )
        return None
    try:
        evaluation = evaluate(store, names)
    except (MurmurError, ImportError) as e:
        log.warning("job %s: --eval skipped: %s", job_id, e)
        return None
    save_evaluation(store, evaluation.to_json())
    wins = sum(1 for r in evaluation.ranks if r["rank"] == 1)
    overall = evaluation.attribution["overall"]
    log.info(
        "job %s: evaluation %s: own bot ranked 1 on %d of %d accounts, attribution %s "
        "(chance %.0f%%), stored as evals/%s.json",
        job_id,
        evaluation.id,
        wins,
        len(names),
        "-" if overall is None else f"{overall:.0%}",
        100 * evaluation.attribution["chance"],
        evaluation.id,
    )
    return evaluation.id
