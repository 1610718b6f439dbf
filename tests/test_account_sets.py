"""The tuning and validation account sets: disjoint from each other and from the sample
accounts, in different styles, from their own seeds, and each account preparable as a user's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from murmur.core.handles import parse_model_spec
from murmur.data import synthetic
from murmur.data.prepare import prepare_model
from murmur.data.synthetic import ACCOUNT_SETS, SET_SIZES, STYLES, Persona, account_set

# Words any two voices may share: articles, prepositions, pronouns.
FUNCTION_WORDS = {"the", "a", "an", "my", "this", "our", "of", "to", "in", "into", "at", "on"}
FUNCTION_WORDS |= {"and", "with", "past", "over", "around", "near"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _topic_words(personas: tuple[Persona, ...] | list[Persona]) -> set[str]:
    words: set[str] = set()
    for p in personas:
        for group in (p.subjects, p.verbs, p.things, p.feelings, p.hashtags, p.friends):
            for item in group:
                words |= _words(item)
    return words - FUNCTION_WORDS


def test_the_sets_share_no_persona_handle_or_topic_word_with_each_other_or_the_samples() -> None:
    tuning, validation = ACCOUNT_SETS["tuning"], ACCOUNT_SETS["validation"]
    samples = list(synthetic.PERSONAS.values())
    handles = [p.handle for p in (*tuning, *validation, *samples)]
    assert len(handles) == len(set(handles)) == 12
    words = [_topic_words(tuning), _topic_words(validation), _topic_words(samples)]
    assert all(len(w) > 80 for w in words)
    assert words[0].isdisjoint(words[1]), words[0] & words[1]
    assert words[0].isdisjoint(words[2]), words[0] & words[2]
    assert words[1].isdisjoint(words[2]), words[1] & words[2]


def test_each_set_has_its_own_style_of_templates() -> None:
    assert {p.style for p in ACCOUNT_SETS["tuning"]} == {"diary"}
    assert {p.style for p in ACCOUNT_SETS["validation"]} == {"chatter"}
    assert {p.style for p in synthetic.PERSONAS.values()} == {"samples"}
    literal = {
        style: _words(" ".join(re.sub(r"\{[^}]*\}", " ", t) for t in templates))
        for style, templates in STYLES.items()
    }
    assert literal["diary"] & literal["chatter"] <= {"https", "t", "co"}  # the link's own words
    diary = " ".join(t.text for t in account_set("tuning", 300)[0].tweets)
    chatter = " ".join(t.text for t in account_set("validation", 300)[0].tweets)
    assert "Dear diary" in diary and "Dear diary" not in chatter
    assert "hot take:" in chatter and "hot take:" not in diary


def test_a_set_is_seeded_and_sized_per_account() -> None:
    first, again = account_set("validation"), account_set("validation")
    assert [[t.text for t in a.tweets] for a in first] == [
        [t.text for t in a.tweets] for a in again
    ]
    assert [len(a.tweets) for a in first] == list(SET_SIZES)
    assert [len(a.tweets) for a in account_set("tuning", 50)] == [50] * 4
    # The set's seed makes the timeline (its first 50 tweets are the list's last: newest first).
    p = ACCOUNT_SETS["validation"][0]
    own = synthetic.generate_account(p.handle, 50, synthetic.SET_SEEDS["validation"], p)
    other = synthetic.generate_account(p.handle, 50, synthetic.SET_SEEDS["tuning"], p)
    oldest = [t.text for t in first[0].tweets[-50:]]
    assert [t.text for t in own.tweets] == oldest != [t.text for t in other.tweets]
    with pytest.raises(KeyError):
        account_set("samples")


def test_every_account_of_both_sets_prepares_as_a_users_would(tmp_path: Path) -> None:
    for name in ACCOUNT_SETS:
        handles = synthetic.write_account_set(name, tmp_path / name)
        for handle in handles:
            spec = parse_model_spec(handle)
            outcome = prepare_model(spec, tweets_dir=str(tmp_path / name))
            assert outcome.prepared is not None, outcome.error
            stats = outcome.prepared.stats[0]
            assert stats.retweets > 0 and stats.short_tweets > 0  # the rules have work to do
            assert outcome.prepared.val_text
