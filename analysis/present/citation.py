"""Citing: the software, each lexicon version, and the statistics a run computed.

- :data:`SOFTWARE` is how the toolkit is cited; ``CITATION.cff`` at the top of
  the repository says the same (a test keeps them in step), so GitHub's "Cite
  this repository" and ``python -m analysis cite`` agree.
- :func:`lexicon_citation` cites one lexicon version by name, version, the
  date its terms were fixed, its numbers of concepts and terms and the
  SHA-256 of its terms (:mod:`analysis.lexicon.versions`).
- :data:`REFERENCES` are the standard references of the statistics the
  commands compute; :func:`statistics_of` says which a command computed.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis import __version__
from analysis.errors import LexiconError
from analysis.lexicon import Lexicon
from analysis.lexicon import versions as lexicon_versions

#: How the software is cited (CITATION.cff holds the same values).
SOFTWARE = {
    "title": "zhgov-analysis: keyword and concept-frequency analysis of Chinese policy and academic texts",
    "authors": "The zhgov-analysis contributors",
    "version": __version__,
    "year": "2026",
    "license": "MIT",
}

#: Standard references of the statistics, by the column that holds them.
REFERENCES: dict[str, dict[str, str]] = {
    "g2": {"zh": "对数似然比 G²", "en": "log-likelihood G²", "cite": "Dunning 1993",
           "full": "Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence. "
                   "Computational Linguistics, 19(1), 61-74."},
    "log_ratio": {"zh": "对数比（Log Ratio）", "en": "log ratio", "cite": "Hardie 2014",
                  "full": "Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for Corpus "
                          "Approaches to Social Science (CASS), Lancaster University."},
    "pmi": {"zh": "点互信息 PMI", "en": "pointwise mutual information (PMI)", "cite": "Church & Hanks 1990",
            "full": "Church, K. W., & Hanks, P. (1990). Word association norms, mutual information, and "
                    "lexicography. Computational Linguistics, 16(1), 22-29."},
    "npmi": {"zh": "标准化点互信息 NPMI", "en": "normalised PMI (NPMI)", "cite": "Bouma 2009",
             "full": "Bouma, G. (2009). Normalized (pointwise) mutual information in collocation extraction. "
                     "Proceedings of the Biennial GSCL Conference 2009, 31-40."},
    "jaccard": {"zh": "Jaccard 系数", "en": "the Jaccard coefficient", "cite": "Jaccard 1912",
                "full": "Jaccard, P. (1912). The distribution of the flora in the alpine zone. New Phytologist, "
                        "11(2), 37-50."},
    "dp": {"zh": "离散度 DP", "en": "deviation of proportions (DP)", "cite": "Gries 2008",
           "full": "Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora. International "
                   "Journal of Corpus Linguistics, 13(4), 403-437."},
}

#: The statistics each command computes (by the columns of its table).
COMMAND_STATISTICS: dict[str, tuple[str, ...]] = {
    "keyness": ("g2", "log_ratio"),
    "cooccur": ("pmi", "npmi", "jaccard"),
}


def software_citation() -> str:
    """The citation line of the software.

    Examples
    --------
    >>> software_citation().startswith("The zhgov-analysis contributors (2026). zhgov-analysis")
    True
    """
    s = SOFTWARE
    return f"{s['authors']} ({s['year']}). {s['title']} (version {s['version']}) [Computer software]. License: {s['license']}."


def lexicon_citation(lexicon: Lexicon | Mapping) -> str:
    """The citation line of a lexicon version: name, version, date, size and the SHA-256 of its terms.

    Parameters
    ----------
    lexicon : Lexicon or mapping
        A lexicon, or its provenance record (``name``, ``version``,
        ``concepts``, ``terms``, ``terms_sha256``, ``date``).

    Examples
    --------
    >>> from analysis import lexicon
    >>> lexicon_citation(lexicon.load())  # doctest: +ELLIPSIS
    'governance lexicon, version 2.0.0 (2026-12-02): 568 concepts, 751 terms; terms sha256 65853512ec11...'
    """
    about = lexicon_record(lexicon) if isinstance(lexicon, Lexicon) else lexicon
    version = f"version {about['version']}" if about.get("version") else "no version"
    date = f" ({about['date']})" if about.get("date") else " (version not recorded)"
    return (f"{about['name']} lexicon, {version}{date}: {about['concepts']} concepts, {about['terms']} terms; "
            f"terms sha256 {about['terms_sha256']}. Distributed with zhgov-analysis {SOFTWARE['version']}.")


def lexicon_record(lexicon: Lexicon) -> dict:
    """What provenance records of a lexicon: name, version, date, file, hashes, numbers of concepts and terms.

    ``date`` is the date recorded for this version in ``data/lexicon/versions.csv``
    when the version is recorded there with exactly these terms, else ``""``.

    Examples
    --------
    >>> from analysis import lexicon
    >>> rec = lexicon_record(lexicon.load())
    >>> rec["name"], rec["version"], rec["date"], rec["concepts"], rec["terms"]
    ('governance', '2.0.0', '2026-12-02', 568, 751)
    """
    digest = lexicon_versions.terms_sha256(lexicon)
    found = lexicon_versions.entry(lexicon)
    return {
        "name": lexicon.name, "version": lexicon.version, "path": lexicon.path, "sha256": lexicon.sha256,
        "concepts": int(lexicon.table.concept.nunique()), "terms": int(len(lexicon.table)),
        "terms_sha256": digest, "date": found["date"] if found and found["terms_sha256"] == digest else "",
    }


def citations(lexicon: Lexicon | None = None) -> str:
    """Everything to cite, as text: the software, the lexicon version, the statistics' references.

    A lexicon whose version is not recorded with exactly its terms (a user's
    own lexicon, or one edited without a new version) is cited by the hash of
    its terms, with a line saying so.

    Examples
    --------
    >>> from analysis import lexicon
    >>> print(citations(lexicon.load()))  # doctest: +ELLIPSIS
    Software:
      The zhgov-analysis contributors (2026). zhgov-analysis: ...
    Lexicon:
      governance lexicon, version 2.0.0 (2026-12-02): 568 concepts, 751 terms; ...
    Statistics:
      Dunning, T. (1993). ...
    """
    lines = ["Software:", f"  {software_citation()}"]
    if lexicon is not None:
        lines += ["Lexicon:", f"  {lexicon_citation(lexicon)}"]
        try:
            lexicon_versions.check(lexicon)
        except LexiconError as exc:
            lines.append(f"  (not a recorded version: {exc})")
    lines.append("Statistics:")
    lines += [f"  {about['full']}" for about in REFERENCES.values()]
    return "\n".join(lines)


def statistics_of(command: str | None) -> list[dict[str, str]]:
    """The statistics a command computed, each with its name and reference.

    Examples
    --------
    >>> [s["cite"] for s in statistics_of("keyness")]
    ['Dunning 1993', 'Hardie 2014']
    >>> statistics_of("count")
    []
    """
    return [{"statistic": key, **REFERENCES[key]} for key in COMMAND_STATISTICS.get(command or "", ())]
