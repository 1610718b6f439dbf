"""Synthetic accounts, written by the project (no real people), for the demo, tests and benchmarks.

Each persona tweets from its own templates and vocabulary, with the things real timelines have:
retweets, links, `&amp;`-escaped text, mentions, hashtags, emoji, replies and short tweets. The
same seed gives the same tweets. Writers produce the three file formats murmur reads: an archive
export (.zip or data/tweets.js) and JSON lines of X API v2 tweet objects.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from murmur.core.tweets import Account, Tweet


@dataclass(frozen=True)
class Persona:
    handle: str
    display_name: str
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    things: tuple[str, ...]
    feelings: tuple[str, ...]
    hashtags: tuple[str, ...]
    friends: tuple[str, ...]


PERSONAS: dict[str, Persona] = {
    p.handle: p
    for p in [
        Persona(
            "sample_baker",
            "Sourdough Sam (sample)",
            ("my starter", "the new oven", "this rye loaf", "the bakery crew", "a cinnamon bun"),
            ("proofed", "rose", "burned", "smelled like", "collapsed into"),
            (
                "a cloud of crumb",
                "pure butter",
                "the morning rush",
                "a crusty dream",
                "flour everywhere",
            ),
            ("so proud", "honestly shocked", "in love", "exhausted but happy", "never again"),
            ("#sourdough", "#bakinglife", "#breadtok"),
            ("@flour_friend", "@rye_guy", "@oven_mitts"),
        ),
        Persona(
            "sample_hiker",
            "Trail Tess (sample)",
            ("the ridge trail", "my old boots", "this fog", "the summit", "a lost marmot"),
            ("climbed past", "disappeared into", "led me to", "soaked", "outlasted"),
            (
                "a frozen lake",
                "twelve switchbacks",
                "the tree line",
                "a cold sunrise",
                "wild blueberries",
            ),
            ("worth every blister", "speechless", "cold to the bone", "grinning", "humbled again"),
            ("#hiking", "#trailrunning", "#outdoors"),
            ("@peak_pal", "@map_reader", "@camp_cook"),
        ),
        Persona(
            "sample_coder",
            "Deploy Dana (sample)",
            (
                "the build",
                "my linter",
                "this flaky test",
                "the staging server",
                "a rogue semicolon",
            ),
            ("broke", "rewrote", "deleted", "benchmarked", "refactored"),
            (
                "half the codebase",
                "the release notes",
                "a memory leak",
                "three caches",
                "the on-call rota",
            ),
            ("ship it", "it works on my machine", "send coffee", "what a week", "tests are green"),
            ("#devlife", "#python", "#oncall"),
            ("@code_review", "@rubber_duck", "@ci_bot"),
        ),
        Persona(
            "sample_gardener",
            "Garden Gus (sample)",
            ("the tomatoes", "my compost", "this zucchini", "the snails", "a sunflower"),
            ("took over", "outgrew", "devoured", "brightened", "survived"),
            (
                "the whole fence",
                "my neighbour's shed",
                "a rainy week",
                "the herb bed",
                "every seedling",
            ),
            ("so green", "mildly alarmed", "very smug", "proud gardener", "send help"),
            ("#gardening", "#growyourown", "#compost"),
            ("@seed_swap", "@worm_farm", "@leaf_mold"),
        ),
    ]
}

_EMOJI = ("🍞", "⛰️", "💻", "🌻", "🔥", "😅", "✨", "🙌")
_OTHERS = ("@news_desk", "@weekly_digest", "@local_radio")


def _tweet_text(p: Persona, rng: random.Random) -> tuple[str, bool]:
    """One tweet's raw text (as the API gives it) and whether it is a retweet."""
    s, v, t, f = (rng.choice(x) for x in (p.subjects, p.verbs, p.things, p.feelings))
    kind = rng.random()
    if kind < 0.10:
        return (
            f"RT {rng.choice(_OTHERS)}: {s.capitalize()} {v} {t} https://t.co/{rng.randrange(16**8):08x}",
            True,
        )
    if kind < 0.17:  # short: too few plain words
        return rng.choice(
            [
                f"{rng.choice(p.friends)} lol",
                f"{rng.choice(p.hashtags)} 🙌",
                f"yes {rng.choice(p.friends)}",
                "https://t.co/abc123",
            ]
        ), False
    templates = [
        "{S} {v} {t}. {f}!",
        "Today {s} {v} {t} &amp; I am {f} {e}",
        "{S} {v} {t} {h}",
        "{fr} {s} {v} {t}, {f}",
        "Why does {s} always feel {f}? {S} {v} {t}.",
        "{S} {v} {t} https://t.co/{link}",
        "New post: {s} {v} {t} &gt; everything else https://t.co/{link} {h}",
        "{S} {v} {t}\n\n{f} {e}",
        "Note to self: {s} {v} {t} &lt;3",
        "I think {s} {v} {t}. {f}.",
    ]
    text = rng.choice(templates).format(
        S=s.capitalize(),
        s=s,
        v=v,
        t=t,
        f=f,
        h=rng.choice(p.hashtags),
        fr=rng.choice(p.friends),
        e=rng.choice(_EMOJI),
        link=f"{rng.randrange(16**8):08x}",
    )
    return text, False


def generate_account(
    handle: str, n_tweets: int, seed: int = 0, persona: str | None = None
) -> Account:
    """`n_tweets` synthetic tweets for `handle`, in the voice of a persona (by handle or seed)."""
    rng = random.Random(f"{handle}:{seed}")
    p = PERSONAS.get(persona or handle) or list(PERSONAS.values())[rng.randrange(len(PERSONAS))]
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    tweets = []
    for i in range(n_tweets):
        text, rt = _tweet_text(p, rng)
        when = start + timedelta(minutes=97 * i + rng.randrange(60))
        tweets.append(
            Tweet(
                id=str(10**17 + i * 7919 + rng.randrange(7919)),
                text=text,
                created_at=when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                is_retweet=rt,
            )
        )
    tweets.reverse()  # newest first, as the API gives them
    name = p.display_name if (persona or handle) in PERSONAS else f"{handle} (synthetic)"
    return Account(handle=handle, tweets=tweets, display_name=name, source="synthetic")


def _archive_time(iso: str | None) -> str:
    dt = datetime.strptime(iso or "2024-01-01T00:00:00.000Z", "%Y-%m-%dT%H:%M:%S.000Z")
    return dt.strftime("%a %b %d %H:%M:%S +0000 %Y")


def archive_files(account: Account, parts: int = 1) -> dict[str, str]:
    """The files of an archive export: data/account.js and data/tweets.js (or -partN.js)."""
    items = [
        {
            "tweet": {
                "id_str": t.id,
                "id": t.id,
                "full_text": t.text,
                "created_at": _archive_time(t.created_at),
                "retweeted": False,
                "lang": "en",
                "source": '<a href="https://example.invalid">murmur</a>',
            }
        }
        for t in account.tweets
    ]
    files = {
        "data/account.js": "window.YTD.account.part0 = "
        + json.dumps(
            [
                {
                    "account": {
                        "username": account.handle,
                        "accountId": "1",
                        "accountDisplayName": account.display_name or account.handle,
                        "createdAt": "2020-01-01T00:00:00.000Z",
                    }
                }
            ],
            indent=2,
        ),
    }
    chunk = -(-len(items) // parts)
    for i in range(parts):
        name = "data/tweets.js" if i == 0 else f"data/tweets-part{i}.js"
        files[name] = f"window.YTD.tweets.part{i} = " + json.dumps(
            items[i * chunk : (i + 1) * chunk], indent=2, ensure_ascii=False
        )
    return files


def write_archive_zip(account: Account, path: Path, parts: int = 1) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in archive_files(account, parts).items():
            z.writestr(name, text)
    path.write_bytes(buf.getvalue())
    return path


def write_tweets_js(account: Account, path: Path) -> Path:
    path.write_text(archive_files(account)["data/tweets.js"], encoding="utf-8")
    return path


def write_jsonl(account: Account, path: Path) -> Path:
    """JSON lines of X API v2 tweet objects; a first line `{"user": …}` carries the profile."""
    with path.open("w", encoding="utf-8") as f:
        f.write(
            json.dumps(
                {
                    "user": {
                        "id": "1",
                        "username": account.handle,
                        "name": account.display_name or account.handle,
                    }
                }
            )
            + "\n"
        )
        for t in account.tweets:
            obj: dict[str, object] = {
                "id": t.id,
                "text": t.text,
                "created_at": t.created_at,
                "author_id": "1",
                "edit_history_tweet_ids": [t.id],
            }
            if t.is_retweet:
                obj["referenced_tweets"] = [{"type": "retweeted", "id": str(int(t.id) + 1)}]
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return path
