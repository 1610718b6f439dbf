"""The bundled sample: four small synthetic accounts (no real people) for the demo and the tests.

`sample_dir()` is a `--tweets` folder: `sample_baker.zip` and `sample_gardener.zip` (archive
exports, the latter in two parts), `sample_coder.js` (an archive's data/tweets.js) and
`sample_hiker.jsonl` (X API v2 tweet objects). `python -m murmur.samples` writes them again.
"""

from __future__ import annotations

from pathlib import Path

SAMPLE_HANDLES = ("sample_baker", "sample_coder", "sample_gardener", "sample_hiker")
SAMPLE_TWEETS = 700


def sample_dir() -> Path:
    return Path(__file__).parent / "tweets"


def sample_corpus() -> list[str]:
    """Plain text of the sample accounts' tweets (the tiny tokenizer's training corpus)."""
    from murmur.data.synthetic import generate_account

    return [t.text for h in SAMPLE_HANDLES for t in generate_account(h, SAMPLE_TWEETS).tweets]


def write_samples(dest: Path | None = None) -> Path:
    from murmur.data.synthetic import (
        generate_account,
        write_archive_zip,
        write_jsonl,
        write_tweets_js,
    )

    dest = dest or sample_dir()
    dest.mkdir(parents=True, exist_ok=True)
    acc = {h: generate_account(h, SAMPLE_TWEETS) for h in SAMPLE_HANDLES}
    write_archive_zip(acc["sample_baker"], dest / "sample_baker.zip")
    write_archive_zip(acc["sample_gardener"], dest / "sample_gardener.zip", parts=2)
    write_tweets_js(acc["sample_coder"], dest / "sample_coder.js")
    write_jsonl(acc["sample_hiker"], dest / "sample_hiker.jsonl")
    return dest
