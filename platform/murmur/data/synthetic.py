"""Synthetic accounts, written by the project (no real people), for the demo, tests and benchmarks.

Each persona tweets from its own templates and vocabulary, with the things real timelines have:
retweets, links, `&amp;`-escaped text, mentions, hashtags, emoji, replies and short tweets. The
same seed gives the same tweets. Writers produce the three file formats murmur reads: an archive
export (.zip or data/tweets.js) and JSON lines of X API v2 tweet objects.

Besides the four sample personas (the demo's, and the tiny tokenizer's corpus), two disjoint sets
of accounts judge choices made on data: `ACCOUNT_SETS["tuning"]`, the accounts any
default may be tuned on, and `ACCOUNT_SETS["validation"]`, accounts nothing is tuned on, to report
a default once it is chosen. The two sets share no persona, topic word, hashtag or mention with
each other or with the samples, tweet in different styles (`STYLES`: a diary voice; lowercase
chatter) and are drawn from different seeds (`SET_SEEDS`).

    write_account_set("validation", folder, n_tweets=700)   # JSONL files; their handles
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
    style: str = "samples"
    """Which templates its tweets use: "samples" (the sample accounts'), or a key of STYLES."""


def _persona(handle: str, name: str, style: str, *fields: str) -> Persona:
    """A Persona from its six word groups, each written as one `|`-separated string."""
    subjects, verbs, things, feelings, hashtags, friends = (tuple(f.split("|")) for f in fields)
    return Persona(handle, name, subjects, verbs, things, feelings, hashtags, friends, style)


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

# The two account sets: different personas, topic words, styles and seeds.
ACCOUNT_SETS: dict[str, tuple[Persona, ...]] = {
    "tuning": (
        _persona(
            "tune_potter",
            "Kiln Kim (tuning)",
            "diary",
            "the kiln|my wheel|this glaze|the studio cat|a tall vase",
            "cracked|glowed|warped|spun|slumped",
            "a celadon bowl|wet clay|the firing log|a speckled mug|cone six",
            "thrilled|crushed|caked in clay|obsessed|deflated",
            "#pottery|#ceramics|#wheelthrown",
            "@glaze_lab|@clay_club|@raku_rita",
        ),
        _persona(
            "tune_cyclist",
            "Cadence Cal (tuning)",
            "diary",
            "my rear derailleur|the peloton|this headwind|the velodrome|a carbon frame",
            "dropped|chased|shredded|outsprinted|squeaked past",
            "forty kilometres|the cobbles|a flat tyre|the breakaway|the climb",
            "legs on fire|wired|totally cooked|elated|wobbly",
            "#cycling|#roadbike|#gravel",
            "@spoke_sam|@chain_lube|@team_cadence",
        ),
        _persona(
            "tune_stargazer",
            "Nebula Nia (tuning)",
            "diary",
            "my telescope|the eyepiece|this comet|Jupiter|the observatory",
            "revealed|drifted across|eclipsed|outshone|wobbled under",
            "a ring nebula|the galactic core|four moons|a meteor shower|the dark sky",
            "starstruck|shivering|mesmerised|sleepy|awestruck",
            "#astronomy|#stargazing|#nightsky",
            "@orbit_otto|@lens_cap|@star_chart",
        ),
        _persona(
            "tune_birder",
            "Warbler Wes (tuning)",
            "diary",
            "a heron|my binoculars|the marsh hide|this wren|a kestrel",
            "perched on|swooped over|ignored|scolded|flushed",
            "the reeds|a lifer|the feeder|an estuary|my field guide",
            "giddy|patient|waterlogged|elated|bamboozled",
            "#birding|#birdwatching|#twitchers",
            "@owl_ollie|@plover_pam|@feather_fan",
        ),
    ),
    "validation": (
        _persona(
            "val_beekeeper",
            "Hive Hana (validation)",
            "chatter",
            "the queen|my smoker|the honey super|the swarm|a drone",
            "abandoned|capped|stung|buzzed around|raided",
            "golden comb|the brood box|propolis|a jar of clover honey|the apiary",
            "sticky|buzzing with joy|terrified|chill as anything|smitten",
            "#beekeeping|#honeybees|#savethebees",
            "@hive_mind|@wax_wendy|@pollen_pete",
        ),
        _persona(
            "val_sailor",
            "Bosun Bo (validation)",
            "chatter",
            "the mainsail|our dinghy|this squall|the skipper|a rusty cleat",
            "capsized near|tacked past|luffed in|drenched|moored at",
            "the harbour wall|a force five|the spinnaker|low tide|the marina",
            "seasick|salty|windswept|ecstatic|soggy",
            "#sailing|#boatlife|#regatta",
            "@knot_nora|@buoy_ben|@anchor_ada",
        ),
        _persona(
            "val_chessnerd",
            "Gambit Gil (validation)",
            "chatter",
            "my bishop|the endgame|this opening|a rook|the blitz clock",
            "blundered|sacrificed|pinned|forked|castled into",
            "a queen trade|the Sicilian|a stalemate|my rating|zugzwang",
            "tilted|gutted|cocky|nervous|vindicated",
            "#chess|#blitz|#chesstok",
            "@pawn_storm|@knight_kai|@elo_ellie",
        ),
        _persona(
            "val_ramen",
            "Broth Bea (validation)",
            "chatter",
            "the tonkotsu|my ladle|this miso|the noodle press|a soft egg",
            "simmered|curdled|slurped|charred|drowned",
            "a pork stock|chili oil|the menma|a dozen bowls|my dashi",
            "starving|satisfied|steamy|blissed out|panicked",
            "#ramen|#noodles|#brothlife",
            "@umami_ume|@slurp_squad|@nori_nate",
        ),
    ),
}
SET_SEEDS = {"tuning": 1101, "validation": 2202}
"""Each set's seed: a set's accounts are generated from their own, never the other's."""
SET_SIZES = (300, 700, 1_500, 2_700)
"""Tweets of each set's accounts, in order: small to huggingtweets' size (the API's ~3,200 most
recent, of which the personas' ~2,700 raw keep ~2,300), as new users' accounts differ."""

# A persona's templates by its style ({S}/{s} subject, {v} verb, {t} thing, {f} feeling,
# {h} hashtag, {fr} a friend, {e} emoji, {link} a t.co code). The samples' are in _tweet_text.
STYLES: dict[str, tuple[str, ...]] = {
    "diary": (
        "Day {n}: {s} {v} {t}. {f}.",
        "{S} {v} {t} once more {e}",
        "Cannot believe {s} {v} {t} {h}",
        "{fr} you were right, {s} {v} {t}",
        "{S} {v} {t}, honestly {f}",
        "Quick update: {s} {v} {t} https://t.co/{link}",
        "{S} {v} {t} &amp; now {f} {h}",
        "Morning thought: {s} {v} {t}\n{f}",
        "Dear diary, {s} {v} {t}. Feeling {f}.",
        "Week {n} report: {s} {v} {t} {h} {e}",
    ),
    "chatter": (
        "ok so {s} {v} {t} lmao {e}",
        "{s} just {v} {t}?? {f}",
        "hot take: {s} {v} {t} {h}",
        "not me saying {s} {v} {t} again. {f}",
        "thread: {s} {v} {t} ({n}/9) https://t.co/{link}",
        "{fr} {s} {v} {t} &lt;3 {f}",
        "{s} {v} {t}. {f}. {h}",
        "reminder that {s} {v} {t}\n\n{f} {e}",
        "nobody: ... {s}: {v} {t}",
        "pov: {s} {v} {t} and u are {f}",
    ),
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
    templates = list(STYLES.get(p.style, ())) or [
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
        n=1 + len(s) % 9,
    )
    return text, False


def generate_account(
    handle: str, n_tweets: int, seed: int = 0, persona: str | Persona | None = None
) -> Account:
    """`n_tweets` synthetic tweets for `handle`, in the voice of a persona (a Persona, a sample
    persona's handle, or else one of the samples' chosen by the seed)."""
    rng = random.Random(f"{handle}:{seed}")
    if isinstance(persona, Persona):
        p = persona
    else:
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
    own = isinstance(persona, Persona) or (persona or handle) in PERSONAS
    name = p.display_name if own else f"{handle} (synthetic)"
    return Account(handle=handle, tweets=tweets, display_name=name, source="synthetic")


def account_set(name: str, n_tweets: int = 0) -> list[Account]:
    """The accounts of ACCOUNT_SETS[name] ("tuning" or "validation") from the set's own seed,
    `n_tweets` each (0: SET_SIZES, one size per account). Raises KeyError for another name."""
    personas = ACCOUNT_SETS[name]
    sizes = [n_tweets] * len(personas) if n_tweets else list(SET_SIZES)
    return [
        generate_account(p.handle, n, SET_SEEDS[name], p)
        for p, n in zip(personas, sizes, strict=True)
    ]


def write_account_set(name: str, folder: Path, n_tweets: int = 0) -> list[str]:
    """The set's accounts as `<handle>.jsonl` files in `folder` (a `--tweets` folder); their
    handles, in the set's order."""
    folder.mkdir(parents=True, exist_ok=True)
    accounts = account_set(name, n_tweets)
    for account in accounts:
        write_jsonl(account, folder / f"{account.handle}.jsonl")
    return [a.handle for a in accounts]


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
