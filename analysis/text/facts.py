"""What a corpus needs to know of each cleaned document, computed where the document is cleaned.

A worker that reads and cleans a document sends back these few numbers
instead of its text, so counting and word frequencies need no copy of the
corpus in the main process (see :func:`analysis.text.corpus.clean`):

- ``chars``: characters of cleaned text (the denominator of every rate);
- ``has_han``: whether any Han character is left (a document without one has
  zero lexicon counts: a wrong file, or an English text);
- ``traditional``: whether the document is largely in Traditional characters
  (at least :data:`TRADITIONAL_SHARE` of its first :data:`TRADITIONAL_SAMPLE`
  Han characters change in OpenCC's Traditional-to-Simplified conversion, and
  at least two do);
- ``digest``: a hash of its paragraphs in order (each length-prefixed, so a
  split or joined paragraph differs): documents with the same digest have the
  same cleaned text (:meth:`analysis.text.corpus.Corpus.identical_documents`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import ne

from analysis.chars import HAN_CHAR
from analysis.text.clean import to_simplified

#: Han characters looked at to judge whether a document is in Traditional characters.
TRADITIONAL_SAMPLE = 2000
#: Share of those that must change in conversion for the document to count as Traditional.
TRADITIONAL_SHARE = 0.2
FACT_COLUMNS = ["doc", "has_han", "traditional", "digest"]


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """The facts of one cleaned document (see the module docstring)."""

    chars: int
    has_han: bool
    traditional: bool
    digest: bytes


def facts_of(documents: Sequence[Sequence[str]]) -> list[DocumentFacts]:
    """The facts of each document, given as its cleaned paragraphs (one conversion call for all of them).

    Examples
    --------
    >>> f = facts_of([["推進基層協商民主", "社區治理"], ["社区治理"], ["policy"]])
    >>> [(x.chars, x.has_han, x.traditional) for x in f]
    [(12, True, True), (4, True, False), (6, False, False)]
    >>> a, b = facts_of([["ab", "c"], ["a", "bc"]])
    >>> a.digest == b.digest
    False
    """
    accumulators = []
    for paragraphs in documents:
        accumulator = FactsAccumulator()
        accumulator.add(paragraphs)
        accumulators.append(accumulator)
    return finish(accumulators)


class FactsAccumulator:
    """The facts of a document given piece by piece (:func:`finish` turns it into :class:`DocumentFacts`)."""

    def __init__(self):
        self.digest = hashlib.blake2b(digest_size=20)
        self.chars, self.wanted, self.sample = 0, TRADITIONAL_SAMPLE, []

    def add(self, paragraphs: Iterable[str]) -> None:
        for text in paragraphs:
            data = text.encode("utf-8", "surrogatepass")
            self.digest.update(len(data).to_bytes(8, "little"))
            self.digest.update(data)
            self.chars += len(text)
            if self.wanted > 0:
                han = "".join(HAN_CHAR.findall(text))[:self.wanted]
                self.sample.append(han)
                self.wanted -= len(han)


def finish(accumulators: Sequence[FactsAccumulator]) -> list[DocumentFacts]:
    """The facts of accumulated documents (their Traditional-character samples converted in one call)."""
    samples = ["".join(a.sample) for a in accumulators]
    converted = to_simplified("\n".join(samples))[0].split("\n") if any(samples) else samples
    return [DocumentFacts(chars=a.chars, has_han=bool(han), traditional=_is_traditional(han, after),
                          digest=a.digest.digest())
            for a, han, after in zip(accumulators, samples, converted)]


def _is_traditional(before: str, after: str) -> bool:
    if before == after:
        return False
    changed = sum(map(ne, before, after))
    return changed >= 2 and changed >= TRADITIONAL_SHARE * len(before)
