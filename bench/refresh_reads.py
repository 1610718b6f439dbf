"""What a refresh's read costs against reading everything again, per network.

An account with 3,200 cached posts (murmur's default `--max-posts`) gains 300 and loses 5. For
X, Bluesky and Mastodon (with and without `--check-deleted`), this times and counts the requests
of a refresh (`murmur.data.new_posts.read_new_posts` on the cached store) and of a full read of
the same account into an empty store (what `--redownload` does), against the tests' stand-ins
served over real HTTP on 127.0.0.1 (tests/social_fakes.py). Requests are counted at the
stand-in; X's are priced at murmur.data.consent.X_READ_USD.

    .venv/bin/python bench/refresh_reads.py [--repeats 3]

Writes bench/results/refresh_reads-<date>.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from result_files import result_header, spread, write_result
from social_fakes import (
    FakeBluesky,
    FakeMastodon,
    FakeX,
    bsky_post,
    local_server,
    masto_status,
    x_tweet,
)

from murmur.core.store import Store
from murmur.data.consent import X_READ_USD
from murmur.data.new_posts import read_new_posts

CACHED, NEW, GONE = 3200, 300, (3, 50, 51, 1200, 3199)
MAX_POSTS = 4000  # above cached + new, so that the merged account is not capped
X_HANDLE, BSKY_HANDLE, MASTO_HANDLE = "sample_baker", "alice.bsky.social", "bob@mastodon.example"
DID = "did:plc:alice"


def _gone(old: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for i, item in enumerate(old) if i not in GONE]


def x_case() -> tuple[FakeX, str, str, Callable[[], None]]:
    fake = FakeX()
    old = [x_tweet(n) for n in range(CACHED, 0, -1)]
    fake.add(X_HANDLE, old)
    user_id = fake.users[X_HANDLE]["id"]
    new = [x_tweet(n) for n in range(CACHED + NEW, CACHED, -1)]
    return fake, "MURMUR_X_URL", X_HANDLE, lambda: fake.timelines.update({user_id: new + old})


def bluesky_case() -> tuple[FakeBluesky, str, str, Callable[[], None]]:
    fake = FakeBluesky()
    old = [bsky_post(BSKY_HANDLE, DID, i) for i in range(CACHED - 1, -1, -1)]
    new = [bsky_post(BSKY_HANDLE, DID, i) for i in range(CACHED + NEW - 1, CACHED - 1, -1)]
    fake.add(BSKY_HANDLE, old, did=DID)
    return (
        fake,
        "MURMUR_BLUESKY_URL",
        BSKY_HANDLE,
        lambda: fake.add(BSKY_HANDLE, new + _gone(old), did=DID),
    )


def mastodon_case() -> tuple[FakeMastodon, str, str, Callable[[], None]]:
    fake = FakeMastodon()
    old = [masto_status(i) for i in range(CACHED)]
    new = [masto_status(-j) for j in range(NEW, 0, -1)]
    fake.add(MASTO_HANDLE, old)
    account_id = fake.accounts[MASTO_HANDLE]["id"]
    return (
        fake,
        "MURMUR_MASTODON_URL",
        MASTO_HANDLE,
        lambda: fake.statuses.update({account_id: new + _gone(old)}),
    )


class Counting:
    """Counts the requests a stand-in answers (local_server calls it once per request)."""

    def __init__(self, app: Any) -> None:
        self.app, self.count = app, 0

    def __call__(self, request: Any) -> Any:
        self.count += 1
        return self.app(request)


def run_case(make: Callable[[], tuple[Any, str, str, Callable[[], None]]], check: bool) -> dict:
    """One refresh and one full read of the grown account: seconds and requests of each."""
    fake, env, handle, grow = make()
    counting = Counting(fake)
    with tempfile.TemporaryDirectory() as tmp, local_server(counting) as url:
        os.environ[env] = url
        store, fresh = Store(f"{tmp}/cached"), Store(f"{tmp}/fresh")
        read_new_posts(handle, store, max_posts=MAX_POSTS)  # the cache: 3,200 posts
        grow()
        counting.count = 0
        start = time.perf_counter()
        update = read_new_posts(handle, store, check_deleted=check, max_posts=MAX_POSTS)
        refresh_s, refresh_requests = time.perf_counter() - start, counting.count
        counting.count = 0
        start = time.perf_counter()
        full = read_new_posts(handle, fresh, max_posts=MAX_POSTS)
        full_s, full_requests = time.perf_counter() - start, counting.count
        del os.environ[env]
    return {
        "refresh_s": refresh_s,
        "refresh_requests": refresh_requests,
        "full_s": full_s,
        "full_requests": full_requests,
        "new": len(update.new_ids),
        "deleted": len(update.deleted_ids),
        "deletions": update.deletions,
        "merged": len(update.account.tweets),
        "full_posts": len(full.account.tweets),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("X_BEARER_TOKEN", "bench-token")  # the stand-in takes any
    doc = result_header()
    cases = [
        ("x", x_case, False),
        ("bluesky", bluesky_case, False),
        ("mastodon", mastodon_case, False),
        ("mastodon --check-deleted", mastodon_case, True),
    ]
    rows = []
    for name, make, check in cases:
        runs = [run_case(make, check) for _ in range(args.repeats)]
        row = {k: v for k, v in runs[0].items() if not k.endswith("_s")}
        row |= {"network": name, "refresh_s": spread([r["refresh_s"] for r in runs])}
        row["full_s"] = spread([r["full_s"] for r in runs])
        if name == "x":
            row["refresh_usd"] = round(row["refresh_requests"] * X_READ_USD, 4)
            row["full_usd"] = round(row["full_requests"] * X_READ_USD, 4)
        rows.append(row)
        print(
            f"{name:<25} refresh {row['refresh_requests']:>5} requests "
            f"{row['refresh_s']['median']:6.2f} s | full read {row['full_requests']:>5} requests "
            f"{row['full_s']['median']:6.2f} s | new {row['new']}, deleted {row['deleted']} "
            f"({row['deletions']}), merged {row['merged']}"
        )
    doc["cached"], doc["new"], doc["gone"] = CACHED, NEW, len(GONE)
    doc["rows"] = rows
    print(f"wrote {write_result('refresh_reads', doc)}")


if __name__ == "__main__":
    main()
