"""Attribution: which account wrote each generated post, by a classifier that never saw a bot.

The classifier is scikit-learn's: TF-IDF of character 2-5-grams within word boundaries, case kept
(casing is style), sublinear term frequency, then a logistic regression, fitted on the accounts'
TRAINING posts. Character n-grams are the standard authorship-attribution feature (Stamatatos,
"A survey of modern authorship attribution methods", JASIST 2009, sec. 3.2); generated posts are
attributed as in Wang et al. (arXiv 2509.14543). Its settings are fixed here, not tuned on what it
reports.

Copies: a generated post that repeats a training post word for word, or nearly, is a copy: the
privacy check users expect, and no evidence of style (the classifier would attribute it for free),
so it is reported and left out of the attribution. "Nearly": the closest training post by the same
TF-IDF's cosine, compared word by word with difflib, matches at least COPY_RATIO of the words.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

COPY_RATIO = 0.9  # difflib's ratio over words: one word in ten changed, added or dropped
NGRAMS = (2, 5)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Attribution:
    """Attribution of the generated posts of every bot (copies left out)."""

    accounts: list[str]
    confusion: dict[str, dict[str, int]]  # bot -> account -> posts attributed to it
    accuracy: dict[str, float | None]  # bot -> share attributed to its own account (None: none)
    overall: float | None  # over every attributed post of every bot
    chance: float  # 1 / number of accounts
    copies: dict[str, float] = field(default_factory=dict)  # bot -> share of its posts copied
    attributed: dict[str, int] = field(default_factory=dict)  # bot -> posts attributed
    examples: dict[str, list[str]] = field(default_factory=dict)  # bot -> a few copies


def build_classifier(train_posts: dict[str, list[str]], seed: int = 0) -> Any:
    """A fitted scikit-learn Pipeline (TF-IDF char n-grams + logistic regression) over
    `train_posts[account]`. Raises ValueError when fewer than two accounts have posts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    texts = [p for posts in train_posts.values() for p in posts]
    labels = [a for a, posts in train_posts.items() for _ in posts]
    pipeline = Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=NGRAMS, lowercase=False, sublinear_tf=True
                ),
            ),
            ("logreg", LogisticRegression(max_iter=2000, random_state=seed)),
        ]
    )
    return pipeline.fit(texts, labels)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def find_copies(classifier: Any, posts: list[str], train_posts: list[str]) -> list[bool]:
    """For each of `posts`: whether it repeats one of `train_posts` word for word or nearly (see
    the module docstring). Uses the classifier's fitted TF-IDF to find each post's closest one."""
    if not posts or not train_posts:
        return [False] * len(posts)
    exact = {tuple(_words(t)) for t in train_posts}
    tfidf = classifier.named_steps["tfidf"]
    similarity = tfidf.transform(posts) @ tfidf.transform(train_posts).T  # (posts, train)
    closest = similarity.argmax(axis=1).A1  # rows are L2-normalised: the product is the cosine
    out = []
    for post, j in zip(posts, closest, strict=True):
        words = _words(post)
        if tuple(words) in exact:
            out.append(True)
            continue
        ratio = difflib.SequenceMatcher(None, words, _words(train_posts[j]), autojunk=False).ratio()
        out.append(bool(words) and ratio >= COPY_RATIO)
    return out


def attribute(
    classifier: Any,
    generated: dict[str, list[str]],
    train_posts: dict[str, list[str]],
    examples: int = 3,
) -> Attribution:
    """Attribute each bot's generated posts (`generated[bot]`; a bot's own account has its name)
    to an account, leaving out copies of the bot's own training posts and empty posts."""
    accounts = list(train_posts)
    confusion = {b: dict.fromkeys(accounts, 0) for b in generated}
    accuracy: dict[str, float | None] = {}
    copies: dict[str, float] = {}
    attributed: dict[str, int] = {}
    shown: dict[str, list[str]] = {}
    hits = total = 0
    for bot, posts in generated.items():
        copied = find_copies(classifier, posts, train_posts.get(bot, []))
        copies[bot] = sum(copied) / len(posts) if posts else 0.0
        shown[bot] = [p for p, c in zip(posts, copied, strict=True) if c][:examples]
        kept = [p for p, c in zip(posts, copied, strict=True) if not c and p.strip()]
        attributed[bot] = len(kept)
        predicted = list(classifier.predict(kept)) if kept else []
        for account in predicted:
            confusion[bot][str(account)] += 1
        own = sum(1 for a in predicted if a == bot)
        accuracy[bot] = own / len(kept) if kept else None
        hits, total = hits + own, total + len(kept)
    return Attribution(
        accounts=accounts,
        confusion=confusion,
        accuracy=accuracy,
        overall=hits / total if total else None,
        chance=1 / len(accounts),
        copies=copies,
        attributed=attributed,
        examples=shown,
    )
