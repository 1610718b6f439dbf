"""The model card: huggingtweets' structure with this model's own figures, escaped and runnable."""

from __future__ import annotations

import re

import pytest

from murmur.core.manifest import HandleStats, ModelManifest
from murmur.models.card import BOT, CYBORG, render_card

# (handle, display name, downloaded, retweets, short, kept)
FIGURES = {
    "baker": ("baker", "Sourdough Sam", 3250, 82, 339, 2829),
    "hiker": ("hiker", "Trail Tess", 700, 77, 42, 581),
    "coder": ("coder", None, 12, 0, 1, 11),
}


def stats(handle: str, avatar: str | None = None) -> HandleStats:
    h, name, downloaded, rts, short, kept = FIGURES[handle]
    return HandleStats(h, downloaded, rts, short, kept, display_name=name, avatar_url=avatar)


def manifest(*handles: str, **changes: object) -> ModelManifest:
    m = ModelManifest(
        name="-".join(sorted(handles)),
        handles=sorted(handles),
        stats=[stats(h) for h in sorted(handles)],
        base_model="gpt2",
        hyperparameters={"learning_rate": 1.372e-4, "block_size": 1024, "precision": "bf16"},
        val_loss_before=4.25,
        val_loss_after=3.5,
        created="2026-01-02T03:04:05Z",
        train_tokens=260_000,
        train_seconds=1.5,
    )
    for k, v in changes.items():
        setattr(m, k, v)
    return m


def table_rows(card: str) -> dict[str, list[str]]:
    """The training-data table as {first cell: other cells}."""
    section = card.split("## Training data", 1)[1].split("##", 1)[0]
    rows = {}
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize(
    ("handles", "badge", "columns"),
    [
        (("baker",), BOT, ["Sourdough Sam"]),
        (("hiker", "baker"), CYBORG, ["Sourdough Sam", "Trail Tess"]),
        (("coder", "baker", "hiker"), CYBORG, ["Sourdough Sam", "coder", "Trail Tess"]),
    ],
)
def test_card_structure_and_figures(
    handles: tuple[str, ...], badge: str, columns: list[str]
) -> None:
    m = manifest(*handles)
    card = render_card(m, "/store/models/" + m.name)
    front = card.split("---\n", 2)[1]
    assert "language: en" in front
    assert "- huggingtweets" in front and "- murmur" in front
    assert '- text: "My dream is"' in front
    assert badge in card and (CYBORG if badge == BOT else BOT) not in card
    for h in m.handles:
        assert f"@{h}" in card
    rows = table_rows(card)
    assert rows["Data"] == columns
    for label, index in [
        ("Tweets downloaded", 2),
        ("Retweets", 3),
        ("Short tweets", 4),
        ("Tweets kept", 5),
    ]:
        assert rows[label] == [str(FIGURES[h][index]) for h in m.handles]
    for heading in (
        "## How does it work?",
        "## Training data",
        "## Training procedure",
        "## How to use",
        "## Limitations and bias",
    ):
        assert heading in card
    # Sections in huggingtweets' order.
    order = [
        card.index(h)
        for h in (
            "## Training data",
            "## Training procedure",
            "## How to use",
            "## Limitations and bias",
        )
    ]
    assert order == sorted(order)


def test_training_procedure_reports_base_hyperparameters_and_losses() -> None:
    card = render_card(manifest("baker"), "x")
    section = card.split("## Training procedure", 1)[1].split("## How to use", 1)[0]
    assert "`gpt2`" in section
    assert "| learning_rate | 0.0001372 |" in section
    assert "| block_size | 1024 |" in section
    assert "before fine-tuning: 4.250 (perplexity 70.1)" in section
    assert "after fine-tuning: 3.500 (perplexity 33.1)" in section
    assert "260,000 tokens" in section
    assert "W&B" not in section.split("Hyperparameters, metrics")[0]  # no run, no link


def test_wandb_links_when_present() -> None:
    links = {"train": "https://wandb.ai/u/murmur/runs/abc", "preprocess": "https://wandb.ai/u/p"}
    card = render_card(manifest("baker", wandb=links), "x")
    assert "- W&B train run: https://wandb.ai/u/murmur/runs/abc" in card
    assert "[Explore the data](https://wandb.ai/u/p)" in card


def test_how_to_use_snippet_runs_as_written() -> None:
    card = render_card(manifest("baker"), "/srv/store/models/baker")
    code = re.search(r"```python\n(.*?)```", card, re.S)
    assert code is not None
    snippet = code.group(1)
    compile(snippet, "card", "exec")  # valid Python
    assert "pipeline('text-generation', model=\"/srv/store/models/baker\")" in snippet
    assert 'generator("My dream is", num_return_sequences=5)' in snippet


def test_profile_text_is_escaped_and_bad_avatar_urls_dropped() -> None:
    m = manifest("baker")
    m.stats[0].display_name = '<script>alert("x")</script> | pipe'
    m.stats[0].avatar_url = "javascript:alert(1)"
    card = render_card(m, "x")
    assert "<script>" not in card
    assert "&lt;script&gt;" in card
    assert "javascript:" not in card
    assert "thumbnail" not in card
    assert table_rows(card)["Data"] == [
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#124; pipe"
    ]


def test_avatar_or_initials() -> None:
    url = "https://pbs.twimg.com/profile_images/1/a_400x400.jpg"
    m = manifest("baker")
    m.stats[0].avatar_url = url
    card = render_card(m, "x")
    assert f"background-image: url('{url}')" in card
    assert f'thumbnail: "{url}"' in card
    no_avatar = render_card(manifest("baker"), "x")
    assert ">SS</div>" in no_avatar  # Sourdough Sam's initials


def _procedure(card: str) -> str:
    return card.split("## Training procedure", 1)[1].split("## How to use", 1)[0]


def test_card_says_truthfully_what_the_base_was() -> None:
    tiny = manifest(
        "baker",
        base_model="tiny",
        base_model_hash="sha256:" + "ab" * 32,
        base_model_description="murmur's offline `tiny` preset, a 2-layer GPT-2 (n_embd 64) "
        "pre-trained locally on generated English-like text (300 steps)",
    )
    card = render_card(tiny, "x")
    assert (
        "fine-tuned from murmur's offline `tiny` preset, a 2-layer GPT-2 (n_embd 64) pre-trained "
        f"locally on generated English-like text (300 steps) (`sha256:{'ab' * 32}`)"
    ) in _procedure(card)
    limits = card.split("## Limitations and bias", 1)[1]
    assert "never trained on the web" in limits and "web training data" not in limits
    hub = manifest(
        "baker",
        base_model_hash="hub:gpt2@" + "c" * 40,
        base_model_description="[gpt2](https://huggingface.co/gpt2)",
    )
    card = render_card(hub, "x")
    assert (
        f"fine-tuned from [gpt2](https://huggingface.co/gpt2) (`hub:gpt2@{'c' * 40}`)"
        in _procedure(card)
    )
    assert "biases of its web training data" in card.split("## Limitations and bias", 1)[1]


def test_manifest_records_the_base_and_reads_older_manifests() -> None:
    from murmur.core.handles import parse_model_spec
    from murmur.data.prepare import PreparedModel
    from murmur.models.publish import build_manifest

    prepared = PreparedModel(
        spec=parse_model_spec("baker"), stats=[stats("baker")], train_text="", val_text=""
    )
    built = build_manifest(
        prepared,
        base_model="tiny",
        base_model_hash="sha256:" + "0" * 64,
        base_model_description="the preset",
        hyperparameters={},
        val_loss_before=None,
        val_loss_after=None,
        train_tokens=0,
        train_seconds=0.0,
    )
    again = ModelManifest.from_json(built.to_json())
    assert (again.base_model, again.base_model_hash) == ("tiny", "sha256:" + "0" * 64)
    assert again.base_model_description == "the preset"
    old = {k: v for k, v in built.to_json().items() if not k.startswith("base_model_")}
    older = ModelManifest.from_json(old)
    assert older.base_model_hash == "" and "`tiny`" in _procedure(render_card(older, "x"))
