"""Field reports on reading user input: damaged archives, unmarked retweets in JSON lines, profile
URLs given as handles, and JSON errors quoted whole. All data invented or from the samples."""

from __future__ import annotations

import json
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from murmur.cli import app
from murmur.core.errors import ArchiveError, HandleError
from murmur.core.handles import normalize_handle
from murmur.data import rules
from murmur.data.sources import load_file
from murmur.jobs.prepare_tasks import task_error_line


def _member_data_offset(path: Path, name: str) -> tuple[int, zipfile.ZipInfo]:
    """Where `name`'s compressed bytes start in the zip, and its entry."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    raw = path.read_bytes()
    n_len, x_len = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + n_len + x_len, info


def _garble_deflate(path: Path) -> None:
    start, info = _member_data_offset(path, "data/tweets.js")
    raw = bytearray(path.read_bytes())
    for i in range(start + 10, start + info.compress_size - 10, 97):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


def _wrong_crc(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("data/tweets.js")
    good = struct.pack("<I", info.CRC)
    assert raw.count(good) == 2  # the local header's and the central directory's
    path.write_bytes(bytes(raw).replace(good, struct.pack("<I", info.CRC ^ 1)))


def _cut_member(path: Path) -> None:
    start, info = _member_data_offset(path, "data/tweets.js")
    raw = bytearray(path.read_bytes())
    raw[start + info.compress_size // 2 : start + info.compress_size] = b"\0" * (
        info.compress_size - info.compress_size // 2
    )
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("damage", [_garble_deflate, _wrong_crc, _cut_member])
def test_a_damaged_member_is_one_archive_error_naming_the_file(
    damage: object, samples: Path, tmp_path: Path
) -> None:
    path = tmp_path / "crc.zip"
    shutil.copy(samples / "sample_baker.zip", path)
    damage(path)  # type: ignore[operator]
    with pytest.raises(ArchiveError) as e:
        load_file(path, "crc")
    msg = str(e.value)
    assert msg.startswith(f"{path}: data/tweets.js is damaged (")
    assert msg.endswith("): export the archive again") and "\n" not in msg


def test_a_member_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("data/tweets.js", "window.YTD.tweets.part0 = [] // café".encode("latin-1"))
    with pytest.raises(ArchiveError, match=rf"^{path}:data/tweets.js: not UTF-8 text"):
        load_file(path, "latin")


def test_unmarked_rt_lines_in_jsonl_are_retweets(tmp_path: Path) -> None:
    path = tmp_path / "wren.jsonl"
    lines = [
        {"id": "1", "text": "RT @pal: the bread rose overnight and it was glorious"},
        {"id": "2", "text": "my own loaf rose overnight and it was glorious"},
        {"id": "3", "text": "RT this if your loaf rose overnight too please"},
    ]
    path.write_text("".join(json.dumps(obj) + "\n" for obj in lines), encoding="utf-8")
    result = rules.filter_tweets(load_file(path, "wren").tweets)
    assert (result.tweets_downloaded, result.retweets, result.tweets_kept) == (3, 1, 2)


def test_a_bad_jsonl_line_quotes_json_whole(tmp_path: Path) -> None:
    path = tmp_path / "wren.jsonl"
    path.write_text('{"id": "1", "text": "fine line here"}\n{"id": "2", "text": "cut\n', "utf-8")
    with pytest.raises(ArchiveError) as e:
        load_file(path, "wren")
    assert str(e.value) == (
        f"{path}:2: not JSON (Unterminated string starting at: line 1 column 21 (char 20))"
    )


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        ("https://x.com/Harbor_Wren", "harbor_wren"),
        ("https://twitter.com/harbor_wren/", "harbor_wren"),
        ("https://mobile.twitter.com/harbor_wren/status/123", "harbor_wren"),
        ("x.com/harbor_wren?s=20", "harbor_wren"),
        ("https://www.x.com/harbor_wren", "harbor_wren"),
        ("https://bsky.app/profile/wren.bsky.social", "wren.bsky.social"),
        ("https://mastodon.social/@bob", "bob@mastodon.social"),
        ("https://mastodon.social/@bob@fosstodon.org", "bob@fosstodon.org"),
    ],
)
def test_a_profile_url_stands_for_its_handle(url: str, handle: str) -> None:
    assert normalize_handle(url) == handle


@pytest.mark.parametrize(
    "url",
    ["https://example.com/about", "https://x.com/home", "https://bsky.app/", "http://x.com"],
)
def test_any_other_url_is_one_line_asking_for_the_handle(url: str) -> None:
    with pytest.raises(HandleError, match="give the handle, not the URL"):
        normalize_handle(url)


def test_a_ray_task_error_is_its_cause_in_one_line(ray_cluster: None) -> None:
    import ray

    def fails_with(kind: str) -> None:  # nested: pickled by value (tests/ is not on workers' path)
        import zlib

        from murmur.core.errors import ArchiveError

        if kind == "zlib":
            raise zlib.error(
                "Error -3 while decompressing data: invalid code -- missing end-of-block"
            )
        if kind == "murmur":
            raise ArchiveError(
                "d/crc.zip: data/tweets.js is damaged (bad): export the archive again"
            )
        raise KeyError("text\nwith a second line")

    task = ray.remote(num_cpus=0, max_retries=0)(fails_with)
    lines = {}
    for kind in ("zlib", "murmur", "other"):
        with pytest.raises(Exception) as e:
            ray.get(task.remote(kind))
        lines[kind] = task_error_line(e.value)
    assert lines == {
        "zlib": "preparing failed: zlib.error: Error -3 while decompressing data: invalid code "
        "-- missing end-of-block",
        "murmur": "d/crc.zip: data/tweets.js is damaged (bad): export the archive again",
        "other": "preparing failed: KeyError: 'text\\nwith a second line'",
    }


def _prepare(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(
        app, ["prepare", *args, "--store", str(tmp_path / "store"), "--no-wandb"]
    )


def test_a_missing_file_is_said_once_and_short_with_a_close_name(
    samples: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mytweets"
    folder.mkdir()
    shutil.copy(samples / "sample_baker.zip", folder / "harbor_wren.zip")
    result = _prepare(tmp_path, "harbor_wrenn", "--tweets", str(folder))
    assert result.exit_code == 1
    reason = (
        f"no tweets for @harbor_wrenn in {folder}: expected harbor_wrenn.zip, harbor_wrenn.json, "
        "harbor_wrenn.js or harbor_wrenn.jsonl: did you mean harbor_wren?"
    )
    assert result.stdout.count(reason) == 1 and reason not in result.stderr
    assert result.stderr.strip() == "error: 1 of 1 accounts failed (above)"


def test_an_empty_folder_says_it_holds_no_tweet_files(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "notes.txt").write_text("not tweets", encoding="utf-8")
    result = _prepare(tmp_path, "harbor_wren", "--tweets", str(folder))
    assert f"{folder} holds no tweet files (.zip, .json, .js, .jsonl)" in result.stdout
    assert "did you mean" not in result.stdout
