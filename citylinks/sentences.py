"""Sentence splitting with NLTK's Punkt, trained on the corpus itself (no downloaded model)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

# Abbreviations common in this news genre that a small corpus may not teach Punkt.
KNOWN_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "rep",
    "gen",
    "sen",
    "gov",
    "st",
    "no",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "vs",
    "co",
    "ltd",
    "inc",
}

_KNOWN = frozenset(KNOWN_ABBREVIATIONS)

# Training on more text than this adds little (abbreviations are listed above) and costs
# seconds: 2 M characters took 5.5 s, 300 k took 0.8 s.
TRAINING_CHARS = 300_000


def train_sentence_splitter(texts: Iterable[str], *, max_chars: int = TRAINING_CHARS):
    """Return a Punkt sentence splitter trained on the given texts (their first `max_chars`),
    which also knows this genre's common abbreviations."""
    # NLTK is imported here, not with the module: cutting sentences, and a run whose
    # abbreviations are cached, need none of it.
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    trainer = PunktTrainer()
    for text in _training_sample(texts, max_chars):
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    params.abbrev_types.update(KNOWN_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def learn_abbreviations(
    texts: Iterable[str], *, max_chars: int = TRAINING_CHARS, cache_dir: str | Path | None = None
) -> frozenset[str]:
    """Return the abbreviations a sentence never ends on: this genre's common ones, and those
    Punkt learns from the texts (their first `max_chars`).

    With `cache_dir`, they are kept there as plain text and reused while the training text and
    the code are the same.
    """
    sample = _training_sample(texts, max_chars)
    cached = None
    if cache_dir:
        from citylinks.cache import code_version, content_key
        from citylinks.paths import resolve

        cached = resolve(cache_dir) / f"abbreviations-{content_key(code_version(), *sample)}.txt"
        try:
            return with_known_abbreviations(cached.read_text(encoding="utf-8").split("\n"))
        except (OSError, UnicodeDecodeError):
            pass
    found = learned_abbreviations(train_sentence_splitter(sample, max_chars=max_chars))
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            for stale in cached.parent.glob("abbreviations-*.txt"):
                stale.unlink(missing_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text("\n".join(sorted(found)), encoding="utf-8")
            partial.replace(cached)
        except OSError:
            pass  # an unwritable cache only means training again next time
    return found


def _training_sample(texts: Iterable[str], max_chars: int) -> list[str]:
    sample: list[str] = []
    seen = 0
    for text in texts:
        if seen >= max_chars:
            break
        sample.append(text)
        seen += len(text)
    return sample


def with_known_abbreviations(abbreviations: Iterable[str] | None) -> frozenset[str]:
    """Return the given abbreviations and this genre's common ones, together."""
    if isinstance(abbreviations, frozenset) and _KNOWN <= abbreviations:
        return abbreviations  # already complete: as the workers get them, once per article
    return _KNOWN.union(a for a in abbreviations or () if a)


# A sentence ends at end punctuation (and closing quotes or brackets), then a space and a capital.
_BOUNDARY = re.compile(r"([.!?]+[\"'”’)\]]*)\s+")  # group 1: the sentence's own end
_OPENERS = "\"“‘'("


# A full stop with no space before the next sentence's capitalised word, as some agencies'
# pages are saved ("…2019-2021 period.The signing…"); after a small letter or digit only, so
# "U.S.", "3.5", "VTV.vn" and "No.1" stay as they are.
_GLUED = re.compile(r"\.(?=[A-Z][a-z])")  # a quick look first: a literal dot is fast to scan for
_GLUED_SENTENCE = re.compile(r"(?<=[a-z0-9]\.)(?=[A-Z][a-z])")


def has_glued_sentences(text: str) -> bool:
    """Tell at a glance whether a text may hold sentences glued at a full stop."""
    return _GLUED.search(text) is not None


def unglue_sentences(text: str) -> tuple[str, list[str]]:
    """Put the missing space between sentences glued at a full stop ("period.The" becomes
    "period. The"), so the sentence rule cuts them; return the text and the places changed.

    Web and mail addresses ("www.Example.com") are left alone. Meant for the cleaning, once per
    article: the sentence rule itself then stays as fast as before."""
    if not _GLUED.search(text):
        return text, []
    places: list[str] = []

    def space(m: re.Match) -> str:
        start = text.rfind(" ", 0, m.start()) + 1
        stop = text.find(" ", m.start())
        word = text[start : stop if stop >= 0 else len(text)]
        if "/" in word or "@" in word or word.lower().startswith("www"):
            return ""
        places.append(text[max(start, m.start() - 12) : m.start() + 12])
        return " "

    return _GLUED_SENTENCE.sub(space, text), places


def learned_abbreviations(splitter) -> frozenset[str]:
    """Abbreviations a sentence never ends on: those the corpus taught the splitter, and ours."""
    params = getattr(splitter, "_params", None)
    return with_known_abbreviations(
        getattr(params, "abbrev_types", ()) if params is not None else ()
    )


def _abbreviation_before(block: str, dot: int, abbreviations: frozenset[str]) -> bool:
    i = dot
    while i > 0 and (block[i - 1].isalpha() or block[i - 1] == "."):
        i -= 1
    word = block[i:dot]
    if len(word) == 1 and word.isupper():
        return True  # an initial: "R. Sevilla"
    return word.lower() in abbreviations


def cut_sentences(block: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence of one paragraph, by a fast rule.

    End punctuation followed by a capital, a digit or an opening quote ends a sentence, unless
    the word before the dot is one of the abbreviations Punkt learned from the corpus ("Rep.",
    "Oct.", "U.S.") or an initial. Running Punkt itself over every paragraph of a large archive
    costs more than finding the terms.
    """
    spans = []
    begin = 0
    for m in _BOUNDARY.finditer(block):
        nxt = block[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue
        if block[m.start()] == "." and _abbreviation_before(block, m.start(), abbreviations):
            continue
        spans.append((begin, m.end(1)))
        begin = m.end()
    end = len(block.rstrip())
    if begin < end:
        spans.append((begin, end))
    return spans
