"""One article as the partner rules read it: title, standfirst, paragraphs and sentences."""

from __future__ import annotations

import bisect

from citylinks.sentences import cut_sentences

# Paragraphs of the body, after title and standfirst, read as the lede.
LEDE_PARAGRAPHS = 2


def _paragraph_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n\n")
    while pos != -1:
        starts.append(pos + 2)
        pos = text.find("\n\n", pos + 2)
    return starts


def _lede_bounds(text: str, title: str, standfirst: str) -> tuple[int, int]:
    """End of the title, and end of the standfirst (== end of the title when there is none)."""
    title = (title or "").strip()
    standfirst = (standfirst or "").strip()
    title_end = len(title) if title and text.startswith(title) else 0
    lead_end = title_end
    if standfirst:
        pos = text.find(standfirst, title_end, title_end + 4 + len(standfirst))
        if pos != -1:
            lead_end = pos + len(standfirst)
    return title_end, lead_end


class ArticleView:
    """One article's paragraphs and the sentences around the places it names, each cut on demand
    and only in the paragraphs a decision needs.

    Sentences are cut by a fast rule (end punctuation, then a capital) that honours the
    corpus-trained splitter's abbreviations ("Rep.", "Oct.", "U.S."): running Punkt over every
    paragraph would cost more than finding the places."""

    def __init__(self, text: str, title: str, standfirst: str, abbreviations: frozenset[str]):
        self.text = text
        self.abbreviations = abbreviations
        self.title_end, self.lead_end = _lede_bounds(text, title, standfirst)
        self.lede_paragraphs = (
            (1 if self.title_end else 0) + (1 if self.lead_end > self.title_end else 0)
        ) + LEDE_PARAGRAPHS
        self.paragraphs = _paragraph_starts(text)
        self._cut: dict[int, list[tuple[int, int]]] = {}

    def paragraph(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraphs, offset) - 1

    def span(self, p: int) -> tuple[int, int]:
        stop = self.paragraphs[p + 1] - 2 if p + 1 < len(self.paragraphs) else len(self.text)
        return self.paragraphs[p], stop

    def paragraph_span(self, offset: int) -> tuple[int, int]:
        return self.span(self.paragraph(offset))

    def sentences(self, p: int) -> list[tuple[int, int]]:
        """(start, end) of each sentence of paragraph `p`; a title is one sentence."""
        found = self._cut.get(p)
        if found is not None:
            return found
        start, stop = self.span(p)
        block = self.text[start:stop]
        if p == 0 and self.title_end:
            spans = [(0, len(block))]
        else:
            spans = cut_sentences(block, self.abbreviations)
        found = [(start + a, start + b) for a, b in spans]
        self._cut[p] = found
        return found

    def sentence_at(self, offset: int) -> tuple[int, int, int]:
        """(start, end, paragraph) of the sentence holding `offset`."""
        p = self.paragraph(offset)
        for s, e in self.sentences(p):
            if s <= offset < e:
                return s, e, p
        start = self.paragraphs[p]
        return start, start, p
