"""Generated English-like text: the pre-training corpus of the offline `tiny` base model.

A seeded probabilistic grammar over a few hundred common English words writes short documents the
shape of posts: one to three sentences of varied kinds (statements, questions, exclamations,
lists, quotes, clauses with "because"/"when"), punctuation, numbers (clock times, prices, years,
percentages) and, rarely, an @mention or a #hashtag.

Disjoint from the synthetic personas (`murmur.data.synthetic`), which the tests, benchmarks and
the bundled samples use as accounts, so that fine-tuning and evaluating on them is not
contaminated by pre-training: no word of this grammar appears in a persona's subjects, verbs,
things, feelings, hashtags, mentions, names or tweet templates, except the function words in
`SHARED_FUNCTION_WORDS`; it stays off the personas' topics (baking, hiking, coding, gardening);
and its random stream is seeded from `"murmur-corpus:<seed>"`, a namespace the personas'
`"<handle>:<seed>"` never produce (a handle has no `-`). tests/test_base.py checks the words.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

_T = TypeVar("_T")

CORPUS_SEED = 0


def _words_of(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of `text`: word lists stay readable a line of words each."""
    return tuple(text.split())


# The only words this grammar shares with the personas: articles, pronouns, prepositions,
# auxiliaries and question words, which no English text can avoid.
SHARED_FUNCTION_WORDS = frozenset(
    _words_of("a am and are but does i in into is it me my of on over so the this to what why")
)

PEOPLE = _words_of(
    """teacher doctor driver sister brother mother father cousin uncle aunt student artist farmer
writer singer player captain nurse pilot lawyer manager kid boy girl family team class boss
stranger guest waiter dancer painter grandma grandpa roommate landlord mayor"""
)
PLACES = _words_of(
    """city town park school office station library beach river street road bridge market museum
hospital airport church village island field house room hall store shop cafe restaurant theater
stadium harbor corner hotel castle lobby"""
)
OBJECTS = _words_of(
    """car bus train bike phone book letter door window table chair lamp clock key bag box bottle cup
plate hat coat shirt shoe umbrella ticket picture camera song movie game ball kite boat guitar
piano ring watch pencil paper newspaper jacket dress glass candle mirror blanket pillow basket
bucket ladder rope wallet sofa"""
)
FOOD = _words_of(
    """apple orange soup cheese pizza salad rice pasta sandwich tea juice milk egg fish chicken banana
honey soda noodle"""
)
ANIMALS = _words_of(
    """dog cat bird horse cow rabbit fox bear mouse owl sheep goat frog whale lion tiger monkey
squirrel puppy kitten"""
)
EVENTS = _words_of(
    """party meeting concert lesson trip journey dinner lunch breakfast birthday wedding match race
holiday picnic parade festival interview exam"""
)
ADJECTIVES = _words_of(
    """big small little tall short long warm hot bright dark quiet loud busy empty full clean dirty
fast slow strange funny sweet kind nice good bad great beautiful lovely simple easy hard heavy
light soft tired hungry lucky calm fresh famous quick gentle brave careful clever ordinary
perfect real red blue yellow white black brown purple silver golden huge young ancient modern
open round square sunny windy snowy wet dry sad glad excited nervous curious surprised bored
angry sleepy ready sure free cheap expensive favorite"""
)
FEELINGS = _words_of(
    """tired hungry lucky calm excited nervous curious surprised bored angry sleepy ready glad sad"""
)
# (base, past, -ing): written out, so no spelling rule can go wrong.
VERBS = [
    tuple(v.split(","))
    for v in _words_of(
        """see,saw,seeing find,found,finding bring,brought,bringing carry,carried,carrying
watch,watched,watching visit,visited,visiting open,opened,opening paint,painted,painting
read,read,reading write,wrote,writing fix,fixed,fixing buy,bought,buying sell,sold,selling
borrow,borrowed,borrowing meet,met,meeting forget,forgot,forgetting
remember,remembered,remembering leave,left,leaving miss,missed,missing catch,caught,catching
throw,threw,throwing drive,drove,driving ride,rode,riding wash,washed,washing draw,drew,drawing
order,ordered,ordering pack,packed,packing share,shared,sharing keep,kept,keeping
hold,held,holding pick,picked,picking hide,hid,hiding pull,pulled,pulling push,pushed,pushing
follow,followed,following return,returned,returning use,used,using give,gave,giving
get,got,getting want,wanted,wanting need,needed,needing enjoy,enjoyed,enjoying
check,checked,checking fill,filled,filling save,saved,saving choose,chose,choosing
wrap,wrapped,wrapping drop,dropped,dropping hug,hugged,hugging"""
    )
]
ADVERBS = _words_of(
    """quickly slowly quietly loudly finally suddenly probably really almost still just already maybe
together soon later"""
)
TIMES = _words_of("yesterday tonight tomorrow now then")
DAYS = _words_of("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS = _words_of(
    """January February March April May June July August September October November December"""
)
NAMES = _words_of(
    """Anna Ben Clara David Ella Frank Grace Henry Ivy Jack Kate Leo Mia Noah Olga Paul Rosa Tom Una
Victor Wendy Yara Zoe Omar Priya Ravi"""
)
NUMBER_WORDS = _words_of("two four five six seven eight nine ten eleven")
INTERJECTIONS = ("Wow", "Oh no", "Yay", "Ha", "Well", "Hmm", "Okay", "Oops", "Hey", "Ugh")
TOPICS = ("music", "travel", "cats", "dogs", "photography", "books", "football", "movies", "art")
EMOJI = ("😂", "❤️", "👍", "🎉", "😊", "🙏", "😎", "🤔", "💯", "😭")  # none of the personas' emoji
PRONOUNS = ("I", "we", "they", "you", "he", "she")
OBJECT_PRONOUNS = ("him", "her", "them", "us", "it")
POSSESSIVES = ("my", "her", "his", "our", "their")
GRAMMAR_WORDS = ("a", "an", "the", "on", "in", "at", "after")  # written by `_Grammar`'s code

# Sentence shapes; {S} a subject, {O} an object, {P} a place, {T} a time, {A} an adjective,
# {v}/{vp}/{vi} a verb's base/past/-ing form, {N} a name.
TEMPLATES = (
    "{S} {vp} {O} at the {P} {T}.",
    "{T_cap}, {S} {vp} {O}.",
    "{S} {vp} {O} and {vp2} {O2}.",
    "Did you {v} {O} {T}?",
    "I want to {v} {O} before the {E}.",
    "We should {v} {O} {adv}.",
    "{O_cap} is {A}, and {O2} is {A2}.",
    "There is {a_A} {noun} near the {P}.",
    "{S} {vp} {O} because {S2} {vp2} {O2}.",
    "When {S} {vp} {O}, {S2} {vp2} {O2}.",
    "What {a_A} {E}!",
    "{N} says the {noun} is {A}.",
    '"{Q}" said {N}.',
    "{num} {nouns} at the {P} {T}.",
    "The {noun} costs ${price}, which is {A}.",
    "About {pct}% of the {nouns} here are {A}.",
    "{E_cap} at {clock}? {I}.",
    "I need {O}, {O2} and {O3}.",
    "{N} is {vi} {O} at the {P}.",
    "Back in {year}, {S} {vp} {O} on {D}.",
    "{I}, the {E} on {D} was so {A}!",
    "Is the {P} {A} on {D}?",
    "{S} {vp} {O} {adv}.",
    "{N} and {N2} {vp} {O} in {M}.",
    "{N} & {N2} {vp} {O}.",
    "I am {F} {adv}...",
    "Who {vp} my {noun}?",
)


def _third_person(base: str) -> str:
    if base.endswith(("s", "sh", "ch", "x", "o")):
        return base + "es"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def _plural(noun: str) -> str:
    irregular = {"mouse": "mice", "sheep": "sheep", "fish": "fish", "kid": "kids"}
    if noun in irregular:
        return irregular[noun]
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def vocabulary() -> frozenset[str]:
    """Every lower-cased word this grammar can write (inflections included); shape: a set of
    ~500 words. The disjointness test checks it against the personas."""
    words: set[str] = set()
    lists = (PEOPLE, PLACES, OBJECTS, FOOD, ANIMALS, EVENTS, ADJECTIVES, FEELINGS, ADVERBS)
    groups = (TIMES, DAYS, MONTHS, NAMES, NUMBER_WORDS, INTERJECTIONS, TOPICS, made_up_words())
    for group in (*lists, *groups):
        for item in group:
            words |= set(_words(item))
    for noun in (*PEOPLE, *PLACES, *OBJECTS, *FOOD, *ANIMALS, *EVENTS, *made_up_words()):
        words.add(_plural(noun))
    for base, past, ing in VERBS:
        words |= {base, past, ing, _third_person(base)}
    for template in (*TEMPLATES, *_QUOTES):
        words |= set(_words(re.sub(r"\{[^}]*\}", " ", template)))
    words |= {w.lower() for w in (*PRONOUNS, *OBJECT_PRONOUNS, *POSSESSIVES, *GRAMMAR_WORDS)}
    return frozenset(words)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


# Made-up words (2-3 syllables): names, places and things the grammar has no word for. They teach
# the model that an unknown word is spelled out of sub-word pieces, so that an account's own words
# (never seen in pre-training) do not cost ~12 nats a piece. A fixed, seeded pool, so that
# `vocabulary()` lists every word and the disjointness test is exact.
_ONSETS = tuple("bdfghklmnprstvwz") * 3 + _words_of("bl br ch cr dr fl gr pr sh st tr")
_VOWELS = tuple("aeiou") * 3 + ("ai", "ee", "oo", "ou")
_CODAS = ("",) * 8 + ("n", "r", "l", "s", "m", "nd", "st")
N_MADE_UP_WORDS = 3000
MADE_UP_SHARE = 0.35  # of noun, name and place slots (see models.tiny.TINY_VOCAB_SIZE)


@functools.cache
def made_up_words(n: int = N_MADE_UP_WORDS) -> tuple[str, ...]:
    """`n` distinct made-up words of 5+ letters, the same on every call and machine."""
    rng = random.Random("murmur-corpus-words")
    words: dict[str, None] = {}
    while len(words) < n:
        syllables = rng.choice((2, 2, 3))
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        if len(word) >= 5:
            words[word] = None
    return tuple(words)


_QUOTES = (
    "Let us go",
    "Not now",
    "Wait for me",
    "I told you",
    "That was fun",
    "See you soon",
    "Look at that",
    "Come with us",
)


class _Grammar:
    """One document at a time from a seeded random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.nouns = [*PEOPLE, *PLACES, *OBJECTS, *FOOD, *ANIMALS]
        self.made_up = made_up_words()

    def pick(self, items: Sequence[_T]) -> _T:
        return items[self.rng.randrange(len(items))]

    def word(self, items: Sequence[str], made_up: float | None = None) -> str:
        """A word of `items`, or with probability `made_up` (`MADE_UP_SHARE`) a made-up one."""
        share = MADE_UP_SHARE if made_up is None else made_up
        return self.pick(self.made_up if self.rng.random() < share else items)

    def name(self) -> str:
        return _cap(self.word(NAMES, made_up=0.3))

    def mention(self) -> str:
        a, b = self.pick(self.made_up), self.pick(NAMES).lower()
        return "@" + self.pick((f"{b}{self.rng.randint(1, 99)}", f"{b}_{a}", f"{a}_{b}", a))

    def subject(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.pick(PRONOUNS)
        if r < 0.65:
            return self.name()
        if r < 0.85:
            return f"my {self.pick(PEOPLE)}"
        return f"the {self.pick(ADJECTIVES)} {self.pick(PEOPLE)}"

    def obj(self) -> str:
        r = self.rng.random()
        noun = self.word(self.rng.choice((OBJECTS, FOOD, ANIMALS, OBJECTS)))
        if r < 0.35:
            return f"the {noun}"
        if r < 0.55:
            return _a(f"{self.pick(ADJECTIVES)} {noun}")
        if r < 0.75:
            return f"{self.pick(POSSESSIVES)} {noun}"
        if r < 0.9:
            return f"{self.pick(NUMBER_WORDS)} {_plural(noun)}"
        return self.pick(OBJECT_PRONOUNS)

    def time(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return self.pick(TIMES)
        if r < 0.6:
            return f"on {self.pick(DAYS)}"
        if r < 0.75:
            return f"in {self.pick(MONTHS)}"
        if r < 0.9:
            return f"at {self.clock()}"
        return f"after {self.pick(EVENTS)}"

    def clock(self) -> str:
        return f"{self.rng.randint(1, 12)}:{self.pick(('00', '15', '30', '45'))}"

    def sentence(self) -> str:
        rng, verb, verb2 = self.rng, self.pick(VERBS), self.pick(VERBS)
        slots: dict[str, Callable[[], str]] = {
            "S": self.subject,
            "S2": self.subject,
            "O": self.obj,
            "O2": self.obj,
            "O3": self.obj,
            "O_cap": lambda: _cap(self.obj()),
            "P": lambda: self.word(PLACES),
            "T": self.time,
            "T_cap": lambda: _cap(self.time()),
            "A": lambda: self.pick(ADJECTIVES),
            "A2": lambda: self.pick(ADJECTIVES),
            "a_A": lambda: _a(self.pick(ADJECTIVES)),
            "F": lambda: self.pick(FEELINGS),
            "E": lambda: self.pick(EVENTS),
            "E_cap": lambda: _cap(self.pick(EVENTS)),
            "D": lambda: self.pick(DAYS),
            "M": lambda: self.pick(MONTHS),
            "N": self.name,
            "N2": self.name,
            "I": lambda: self.pick(INTERJECTIONS),
            "Q": lambda: self.pick(_QUOTES),
            "v": lambda: verb[0],
            "vp": lambda: verb[1],
            "vp2": lambda: verb2[1],
            "vi": lambda: verb[2],
            "adv": lambda: self.pick(ADVERBS),
            "noun": lambda: self.word(self.nouns),
            "nouns": lambda: _plural(self.word(self.nouns)),
            "num": lambda: str(rng.randint(2, 99)),
            "price": lambda: str(rng.choice((rng.randint(1, 99), rng.randint(100, 2500)))),
            "pct": lambda: str(rng.randint(1, 99)),
            "year": lambda: str(rng.randint(1950, 2024)),
            "clock": self.clock,
        }
        template = self.pick(TEMPLATES)
        names = re.findall(r"\{(\w+)\}", template)
        text = template.format(**{n: slots[n]() for n in names})
        return _cap(text)

    def document(self) -> str:
        """One post: 1-3 sentences, sometimes lower-cased, rarely a mention or a hashtag."""
        rng = self.rng
        text = " ".join(self.sentence() for _ in range(rng.choice((1, 2, 2, 3))))
        if rng.random() < 0.1:
            text = text.lower()
        if rng.random() < 0.06:
            text = f"{self.mention()} {text}"
        if rng.random() < 0.06:
            text = f"{text} #{self.word(TOPICS, made_up=0.5)}"
        if rng.random() < 0.06:
            text = f"{text} {self.pick(EMOJI)}"
        return text[:280]


def _a(phrase: str) -> str:
    """`phrase` with its indefinite article: "an old box", "a box"."""
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def iter_corpus(seed: int = CORPUS_SEED) -> Iterator[str]:
    """Generated documents without end (each ≤ 280 characters, ~77 on average, ~20 tokens of the
    tiny tokenizer); the same seed gives the same documents. Seeded from `"murmur-corpus:<seed>"`
    (see the module docstring)."""
    grammar = _Grammar(random.Random(f"murmur-corpus:{seed}"))
    while True:
        yield grammar.document()


def generate_corpus(n_docs: int, seed: int = CORPUS_SEED) -> list[str]:
    """The first `n_docs` documents of `iter_corpus(seed)`."""
    return list(itertools.islice(iter_corpus(seed), n_docs))
