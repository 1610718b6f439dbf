"""The model card (`README.md` of every published model), in huggingtweets' structure.

YAML front matter (language, tags, the widget's "My dream is"), one avatar block per account with
its display name and "🤖 AI BOT 🤖" ("🤖 AI CYBORG 🤖" for a combined model), the training-data
table with one column per handle, the training procedure, "How to use" with a pipeline snippet
that runs as written, and limitations and bias. Display names and avatar URLs come from the
accounts, so they are escaped: a card never carries markup or script from a profile.

The front matter carries the Hub's metadata (https://huggingface.co/docs/hub/model-cards):
`library_name` (`peft` for a LoRA adapter, `transformers` for a full model), `pipeline_tag:
text-generation`, and `base_model` only where the base is a Hub model: the Hub takes a Hub id
there, never a local path (https://huggingface.co/docs/hub/model-cards#specifying-a-base-model).

A LoRA adapter names its base in adapter_config.json; PEFT reads a local path there from the
working directory, so an adapter over a base in the store (the `tiny` preset, a local folder)
breaks once the store moves. Its card therefore loads the base itself, then the adapter over it
(`peft_load_lines`), which works from any folder.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

from murmur.core.errors import HandleError
from murmur.core.handles import NETWORK_NAMES, network_of, profile_url
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.tweets import is_avatar_url
from murmur.models.base import looks_like_path
from murmur.models.card_versions import refresh_section, versions_section
from murmur.models.tiny import TINY

WIDGET_TEXT = "My dream is"
PROJECT_TAG = "murmur"  # on the Hub, marks a repo murmur made (murmur.models.hub)
TAGS = (PROJECT_TAG, "huggingtweets")
BOT = "🤖 AI BOT 🤖"
CYBORG = "🤖 AI CYBORG 🤖"
PIPELINE_TAG = "text-generation"
FIGURE_ROWS = (
    ("Tweets downloaded", "tweets_downloaded"),
    ("Retweets", "retweets"),
    ("Short tweets", "short_tweets"),
    ("Tweets kept", "tweets_kept"),
)


def render_card(manifest: ModelManifest, model_ref: str, base_ref: str | None = None) -> str:
    """The card of a trained model; `model_ref` is what `pipeline(model=...)` should load (a
    folder or a Hub id). For a LoRA bot whose base is no Hub model, `base_ref` is the base's
    folder, which "How to use" loads before the adapter (see the module's doc); without it the
    card loads the adapter alone, which works only while the base stays where the adapter says."""
    hub_base = hub_base_id(manifest)
    if manifest.method != "lora":
        how = _how_to_use(model_ref)
    elif hub_base is None and base_ref:
        how = _how_to_use_local_base(model_ref, base_ref)
    else:
        how = _how_to_use_lora(model_ref)
    sections = [
        _front_matter(manifest),
        _avatars(manifest.stats),
        _intro(manifest),
        _training_data(manifest),
        _training_procedure(manifest),
        refresh_section(manifest),
        versions_section(manifest) if manifest.posts_read_at or manifest.history else "",
        how,
        _limitations(manifest),
    ]
    return "\n\n".join(s.strip("\n") for s in sections if s) + "\n"


def hub_base_id(m: ModelManifest) -> str | None:
    """The base model's Hub id, or None where the base is no Hub model (`tiny`, a folder). From
    the base hash `hub:<id>@<revision>` (models.base.hub_hash); a manifest from before hashes
    existed names it by `base_model` when that reads as a Hub id (not `tiny`, not a path)."""
    if m.base_model_hash.startswith("hub:"):
        return m.base_model_hash.removeprefix("hub:").rsplit("@", 1)[0]
    if m.base_model_hash or m.base_model in ("", TINY) or looks_like_path(m.base_model):
        return None
    return m.base_model


def library_name(m: ModelManifest) -> str:
    """The Hub's `library_name`: `peft` for a LoRA adapter folder, else `transformers`."""
    return "peft" if m.method == "lora" else "transformers"


def _front_matter(m: ModelManifest) -> str:
    # JSON strings are valid YAML scalars: quoting with json.dumps keeps any value inert.
    lines = ["---", "language: en", f"library_name: {library_name(m)}"]
    lines.append(f"pipeline_tag: {PIPELINE_TAG}")
    base = hub_base_id(m)
    if base:
        lines.append(f"base_model: {json.dumps(base)}")
    avatar = next((s.avatar_url for s in m.stats if is_avatar_url(s.avatar_url)), None)
    if avatar:
        lines.append(f"thumbnail: {json.dumps(avatar)}")
    lines.append("tags:")
    lines += [f"- {t}" for t in TAGS]
    lines += ["widget:", f"- text: {json.dumps(WIDGET_TEXT)}", "---"]
    return "\n".join(lines)


def _initials(s: HandleStats) -> str:
    words = [w for w in (s.display_name or s.handle).replace("_", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or s.handle[:1].upper()


def _avatar(s: HandleStats) -> str:
    style = (
        "display:inherit; margin-left: 4px; margin-right: 4px; width: 92px; height: 92px; "
        "border-radius: 50%; background-size: cover;"
    )
    if is_avatar_url(s.avatar_url):
        return f"""<div style="{style} background-image: url('{s.avatar_url}')"></div>"""
    # No avatar known: a grey disc with the account's initials.
    return (
        f'<div style="{style} background-color: #cfd9de; text-align: center; line-height: 92px; '
        f'font-size: 32px; font-weight: 700;">{html.escape(_initials(s))}</div>'
    )


def _avatars(stats: list[HandleStats]) -> str:
    badge = CYBORG if len(stats) > 1 else BOT
    names = " & ".join(html.escape(s.display_name or s.handle) for s in stats)
    handles = " ".join(f"@{s.handle}" for s in stats)
    discs = "\n".join(f"        {_avatar(s)}" for s in stats)
    return f"""<div class="inline-flex flex-col" style="line-height: 1.5;">
    <div class="flex">
{discs}
    </div>
    <div style="text-align: center; margin-top: 3px; font-size: 16px; font-weight: 800">{badge}</div>
    <div style="text-align: center; font-size: 16px; font-weight: 800">{names}</div>
    <div style="text-align: center; font-size: 14px;">{handles}</div>
</div>"""


def _intro(m: ModelManifest) -> str:
    who = _people(m.stats)
    return (
        f"A GPT-2 fine-tuned on tweets from {who}, made with murmur, which trains bots "
        "the way [huggingtweets](https://github.com/borisdayma/huggingtweets) did, for many "
        "accounts at once.\n\n"
        "## How does it work?\n\n"
        "The account's tweets were downloaded, retweets and tweets with fewer than three "
        "ordinary words were dropped, links were removed, and the rest became the training "
        "text: four shuffled passes over the kept tweets, joined by `<|endoftext|>`. A "
        "pre-trained GPT-2 was fine-tuned on it with DeepSpeed inside Ray Train; 10% of the "
        "kept tweets were held out to measure the validation loss before and after."
    )


def _profile_link(handle: str) -> str:
    """`[@handle](profile URL) on <network>`: the card names the network and links the profile."""
    try:
        return f"[@{handle}]({profile_url(handle)}) on {NETWORK_NAMES[network_of(handle)]}"
    except HandleError:
        return f"@{handle}"


def _people(stats: list[HandleStats]) -> str:
    names = [
        f"{html.escape(s.display_name or s.handle)} ({_profile_link(s.handle)})" for s in stats
    ]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _training_data(m: ModelManifest) -> str:
    header = "| Data | " + " | ".join(_cell(s.display_name or s.handle) for s in m.stats) + " |"
    rule = "| --- |" + " --- |" * len(m.stats)
    rows = [
        f"| {label} | " + " | ".join(str(int(getattr(s, attr))) for s in m.stats) + " |"
        for label, attr in FIGURE_ROWS
    ]
    text = f"## Training data\n\nThe model was trained on tweets from {_people(m.stats)}.\n\n"
    text += "\n".join([header, rule, *rows])
    if "preprocess" in m.wandb:
        text += f"\n\n[Explore the data]({m.wandb['preprocess']}), tracked with W&B artifacts."
    return text


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "&#124;")


def _fmt_loss(loss: float | None) -> str:
    if loss is None:
        return "not measured"
    return f"{loss:.3f} (perplexity {math.exp(min(loss, 50)):,.1f})"


def _training_procedure(m: ModelManifest) -> str:
    hp = m.hyperparameters
    handles = " and ".join(f"@{h}" for h in m.handles)
    lines = [
        "## Training procedure",
        "",
        f"The model was fine-tuned from {_base(m)}, on {handles}'s tweets.",
        "",
        "| Hyperparameter | Value |",
        "| --- | --- |",
    ]
    lines += [f"| {_cell(str(k))} | {_cell(_fmt_value(v))} |" for k, v in hp.items()]
    lines += [
        "",
        f"- Validation loss before fine-tuning: {_fmt_loss(m.val_loss_before)}",
        f"- Validation loss after fine-tuning: {_fmt_loss(m.val_loss_after)}",
    ]
    if m.lora:  # a LoRA bot, or one merged into its base (murmur export --merged)
        lines.append(_lora_line(m))
    if m.train_tokens:
        lines.append(f"- Trained on {m.train_tokens:,} tokens in {m.train_seconds:,.1f} s")
    if m.created:
        lines.append(f"- Published {m.created}")
    for run, url in sorted(m.wandb.items()):
        lines.append(f"- W&B {run} run: {url}")
    lines += [
        "",
        "Hyperparameters, metrics and the final model are recorded in the W&B training run "
        "when tracking is on, for transparency and reproducibility.",
    ]
    return "\n".join(lines)


# bench/results/lora_quality-2026-12-06-validation.json: the mean over its 4 accounts (tiny base).
LORA_VALIDATION_FIGURE = "39.7% below full fine-tuning's, where the target was at most 5% above"


def _lora_line(m: ModelManifest) -> str:
    """The card's line on a LoRA bot: its settings, its size, and what murmur's defaults are worth:
    chosen on the tiny preset's tuning accounts, measured once on accounts nothing was tuned on
    (bench/lora_quality.py; README, LoRA bots), provisional for gpt2 (not yet measured on a GPU)."""
    lora = m.lora or {}
    targets = ", ".join(f"`{t}`" for t in lora.get("targets", []))
    size = f"{m.adapter_bytes / 1e6:,.2f} MB" if m.method == "lora" else "merged into the base"
    return (
        f"- Method: a LoRA adapter (PEFT) over the frozen base: rank {lora.get('rank')}, alpha "
        f"{lora.get('alpha')}, on the layers {targets}; {size}. murmur's "
        "LoRA defaults (rank 16, alpha 32, every linear layer and the output head, 10x the "
        f"recipe's learning rate) were chosen on its `{TINY}` preset's tuning accounts; on accounts "
        f"nothing was tuned on, LoRA's validation loss was {LORA_VALIDATION_FIGURE} "
        "(bench/lora_quality.py). They are provisional for gpt2: not yet measured on a GPU"
    )


def _base(m: ModelManifest) -> str:
    """The base model in words: its description (from `murmur.models.base.resolve_base`) and its
    content hash; a manifest from before descriptions existed gives its name only."""
    text = m.base_model_description or f"`{m.base_model}`"
    return f"{text} (`{m.base_model_hash}`)" if m.base_model_hash else text


def _fmt_value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _how_to_use(model_ref: str) -> str:
    ref = json.dumps(model_ref)
    return f"""## How to use

You can use this model directly with a pipeline for text generation:

```python
from transformers import pipeline
generator = pipeline('text-generation', model={ref})
generator("{WIDGET_TEXT}", num_return_sequences=5)
```

Its generation config carries huggingtweets' sampling (top_p 0.95, top_k 50, at most 160 tokens),
so the pipeline behaves as huggingtweets' demo did. Its tokenizer pads with `<|endoftext|>` on
the left, so the pipeline also takes prompts in batches; give their lengths in new tokens there,
as rows of one batch are padded to one length and huggingtweets' `max_length` and `min_length`
count that padding (6 new tokens is its minimum after its 4-token prompt):

```python
from transformers import pipeline
generator = pipeline('text-generation', model={ref})
generator(["{WIDGET_TEXT}", "I think that"], batch_size=2, max_new_tokens=40, min_new_tokens=6)
```"""


def _how_to_use_lora(model_ref: str) -> str:
    ref = json.dumps(model_ref)
    return f"""## How to use

This bot is a LoRA adapter over its base model: with peft installed (`pip install peft`), a
pipeline loads the base and the adapter together. transformers reads the *base's* generation
config, so pass the bot's own (huggingtweets' sampling: top_p 0.95, top_k 50, at most 160 tokens):

```python
from transformers import GenerationConfig, pipeline
generator = pipeline('text-generation', model={ref})
sampling = GenerationConfig.from_pretrained({ref}, num_return_sequences=5)
generator("{WIDGET_TEXT}", generation_config=sampling)
```

Or with PEFT's own class:

```python
from peft import AutoPeftModelForCausalLM
from transformers import AutoTokenizer, GenerationConfig
model = AutoPeftModelForCausalLM.from_pretrained({ref})
tokenizer = AutoTokenizer.from_pretrained({ref})
inputs = tokenizer("{WIDGET_TEXT}", return_tensors="pt")
sampling = GenerationConfig.from_pretrained({ref}, num_return_sequences=5)
outputs = model.generate(**inputs, generation_config=sampling)
print(tokenizer.batch_decode(outputs, skip_special_tokens=True))
```"""


def peft_load_lines(base_ref: str, adapter_ref: str) -> str:
    """The two lines that load a LoRA bot from any working directory: its base (a folder or a
    Hub id), then the adapter over it. PeftModel.from_pretrained never reads the adapter's own
    `base_model_name_or_path`, which PEFT resolves against the working directory."""
    return (
        f"base = AutoModelForCausalLM.from_pretrained({json.dumps(base_ref)})\n"
        f"model = PeftModel.from_pretrained(base, {json.dumps(adapter_ref)})"
    )


def _how_to_use_local_base(model_ref: str, base_ref: str) -> str:
    ref = json.dumps(model_ref)
    load = peft_load_lines(base_ref, model_ref)
    return f"""## How to use

This bot is a LoRA adapter over a base that is no Hub model, so load the base, then the adapter
over it (with peft installed: `pip install peft`); these lines work from any folder. They name
the folders as published: where the store has moved, put its new folder in the paths
(`murmur models NAME` prints them), or write one folder that loads anywhere with
`murmur export NAME DIR --merged`. Pass the bot's own generation config (huggingtweets'
sampling: top_p 0.95, top_k 50, at most 160 tokens):

```python
from peft import PeftModel
from transformers import AutoModelForCausalLM, GenerationConfig, pipeline
{load}
generator = pipeline('text-generation', model=model.merge_and_unload(), tokenizer={ref})
sampling = GenerationConfig.from_pretrained({ref}, num_return_sequences=5)
generator("{WIDGET_TEXT}", generation_config=sampling)
```

Or with PEFT's own class:

```python
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig
{load}
tokenizer = AutoTokenizer.from_pretrained({ref})
inputs = tokenizer("{WIDGET_TEXT}", return_tensors="pt")
sampling = GenerationConfig.from_pretrained({ref}, num_return_sequences=5)
outputs = model.generate(**inputs, generation_config=sampling)
print(tokenizer.batch_decode(outputs, skip_special_tokens=True))
```"""


def _limitations(m: ModelManifest) -> str:
    if m.base_model == TINY:
        base = (
            f"Its base is murmur's offline `{TINY}` preset, a small GPT-2 built locally for tests "
            "and demos and never trained on the web: it writes little more than the shape of "
            "simple English. Fine-tune a real GPT-2 (`--base-model gpt2`) for a bot worth reading."
        )
    else:
        base = (
            "Everything GPT-2 gets wrong, this model gets wrong too: it shares GPT-2's "
            "limitations and the biases of its web training data."
        )
    return (
        "## Limitations and bias\n\n"
        f"{base}\n\n"
        "On top of that, the tweets it was fine-tuned on shape what it writes: it echoes the "
        "account's opinions, mistakes and the people it mentions. It is a bot, not the "
        "person: never present its text as theirs."
    )
