"""Synthetic accounts in a 4 topics x 2 styles design, for judging fidelity (bench/fidelity.py).

Distinct vocabularies alone make attribution trivial, so the two accounts of a topic share its
words (subjects, verbs, things, feelings, hashtags, friends) and differ only in style. The two
styles differ in all six of: length, punctuation, emoji, mentions, hashtags and casing:

    loud    one clause; Capitalised, every third post's subject in CAPITALS; ends `!` or `!!`;
            an emoji in 70% of posts, a hashtag in 60%, never a mention (~50 characters)
    quiet   two or three clauses joined by commas and `and`; all lower case; ends `...` or
            `.`; a mention in 60% of posts, never an emoji or a hashtag (~120 characters)

The topics (bees: beekeeping, stars: astronomy, chess, clay: pottery) are none of the sample personas' (baking,
hiking, coding, gardening), on which murmur's defaults were tuned, nor the `tiny` base's
pre-training grammar's (murmur.models.corpus). Fixed before anything was measured on them; the
same seed gives the same tweets. Accounts are named `<topic>_<style>`, e.g. `chess_quiet`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from murmur.core.tweets import Account, Tweet


@dataclass(frozen=True)
class Topic:
    """The words both accounts of a topic draw from."""

    name: str
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    things: tuple[str, ...]
    feelings: tuple[str, ...]
    hashtags: tuple[str, ...]
    friends: tuple[str, ...]


TOPICS = (
    Topic(
        "bees",
        ("the hive", "my queen bee", "the new swarm", "the smoker", "a drone comb", "the apiary"),
        ("buzzed past", "swarmed over", "capped", "guarded", "abandoned", "waxed"),
        ("the honey frames", "a sticky super", "clover nectar", "the brood box", "propolis"),
        ("stung again", "so calm", "sweet relief", "nervous", "proud beekeeper"),
        ("#beekeeping", "#honeybees", "#apiary"),
        ("@hive_mind", "@wax_works", "@pollen_pat"),
    ),
    Topic(
        "stars",
        ("the telescope", "my star chart", "the comet", "this nebula", "the eyepiece", "Jupiter"),
        ("drifted past", "outshone", "eclipsed", "orbited", "blurred into", "aligned with"),
        ("the dark sky", "a meteor shower", "the red giant", "three moons", "the milky way"),
        ("starstruck", "frozen but thrilled", "cloudy again", "awake till dawn", "tiny"),
        ("#astronomy", "#stargazing", "#nightsky"),
        ("@orbit_olly", "@lens_cap", "@dark_site"),
    ),
    Topic(
        "chess",
        ("my bishop", "the endgame", "this opening", "the rook", "a pawn storm", "the blitz game"),
        ("sacrificed", "blundered", "forked", "castled past", "checkmated", "pinned"),
        ("the queen", "a knight outpost", "the long diagonal", "two tempi", "the back rank"),
        ("brilliant", "tilted", "out of time", "humbled", "rated up"),
        ("#chess", "#blitz", "#endgame"),
        ("@knight_rider", "@pawn_star", "@elo_hell"),
    ),
    Topic(
        "clay",
        ("the kiln", "my wheel", "this glaze", "the clay", "a wobbly bowl", "the studio"),
        ("cracked", "fired", "trimmed", "collapsed", "glazed over", "centered"),
        ("a celadon vase", "the slip", "three mugs", "the bisque load", "raw stoneware"),
        ("muddy and happy", "heartbroken", "zen", "covered in slip", "obsessed"),
        ("#pottery", "#ceramics", "#wheelthrown"),
        ("@kiln_god", "@clay_day", "@glaze_craze"),
    ),
)
STYLES = ("loud", "quiet")
_LOUD_EMOJI = ("🐝", "🔭", "♟️", "🏺", "🔥", "🎉", "😱", "✨")
_LINKS = (", and", ", then", " and", ", while")


def account_names() -> list[str]:
    """The eight accounts, `<topic>_<style>`, topic by topic."""
    return [f"{t.name}_{s}" for t in TOPICS for s in STYLES]


def _loud(t: Topic, rng: random.Random) -> str:
    subject = rng.choice(t.subjects)
    subject = subject.upper() if rng.random() < 1 / 3 else subject.capitalize()
    text = f"{subject} {rng.choice(t.verbs)} {rng.choice(t.things)}{rng.choice(('!', '!!'))}"
    if rng.random() < 0.6:
        text += f" {rng.choice(t.hashtags)}"
    if rng.random() < 0.7:
        text += f" {rng.choice(_LOUD_EMOJI)}"
    return text


def _quiet(t: Topic, rng: random.Random) -> str:
    clauses = [
        f"{rng.choice(t.subjects)} {rng.choice(t.verbs)} {rng.choice(t.things)}"
        for _ in range(rng.choice((2, 2, 3)))
    ]
    text = clauses[0]
    for clause in clauses[1:]:
        text += f"{rng.choice(_LINKS)} {clause}"
    text += f", {rng.choice(t.feelings)}{rng.choice(('...', '...', '.'))}"
    if rng.random() < 0.6:
        text = f"{rng.choice(t.friends)} {text}"
    return text.lower()


def generate_styled_account(name: str, n_tweets: int, seed: int = 0) -> Account:
    """`n_tweets` tweets of the account `name` (one of account_names()), newest first. Raises
    ValueError for another name."""
    topic_name, _, style = name.rpartition("_")
    topic = next((t for t in TOPICS if t.name == topic_name), None)
    if topic is None or style not in STYLES:
        raise ValueError(f"unknown styled account {name!r}: one of {', '.join(account_names())}")
    rng = random.Random(f"{name}:{seed}")
    write = _loud if style == "loud" else _quiet
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    tweets = [
        Tweet(
            id=str(10**17 + i * 7919 + rng.randrange(7919)),
            text=write(topic, rng),
            created_at=(start + timedelta(minutes=53 * i)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            is_retweet=False,
        )
        for i in range(n_tweets)
    ]
    tweets.reverse()
    return Account(
        handle=name, tweets=tweets, display_name=f"{name} (synthetic)", source="synthetic"
    )
