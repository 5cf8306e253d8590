"""The curation loop: from suggested terms to lexicon entries, with every decision recorded.

1. ``discover`` or ``expand`` writes its candidates as a **curation sheet**
   (``--as-lexicon FILE``): one row per candidate in the CSV lexicon format
   (``concept, term, category, en, source``, with ``source`` saying where the
   suggestion came from) plus three columns for the decision: ``decision``
   (``accept`` or ``reject``), ``by`` (who decided) and ``why``.
2. A scholar reads each candidate's KWIC lines, fills in ``concept`` (an
   existing concept or a new one), ``category``, ``en`` and the decision.
3. ``curate SHEET`` checks the sheet (every decided row has ``by`` and
   ``why``; an accepted row has a concept) and writes the lexicon with the
   accepted rows added, validated like any lexicon. The sheet, kept beside the
   lexicon, is the record of how the lexicon was built: rejected candidates
   and their reasons stay in it.

A sheet is itself a valid CSV lexicon once its concept column is filled in
(``python -m analysis lexicon --lexicon SHEET``), so the suggestions can be
tried in counts before they are decided.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from analysis.errors import LexiconError
from analysis.lexicon.dictionary import COLUMNS, Lexicon, validate
from analysis.text.encoding import decode

#: The columns of a curation sheet: the CSV lexicon format, then the decision.
SHEET_COLUMNS = ["concept", "term", "category", "en", "source", "decision", "by", "why"]
DECISIONS = ("accept", "reject")


def sheet(terms: list[str], sources: list[str]) -> pd.DataFrame:
    """A curation sheet of suggested terms: concept, category, en and the decision left empty.

    Examples
    --------
    >>> sheet(["新质生产力"], ["discover: 3 occurrences in 2 documents, 2024-2025"]).iloc[0].tolist()
    ['', '新质生产力', '', '', 'discover: 3 occurrences in 2 documents, 2024-2025', '', '', '']
    """
    rows = pd.DataFrame({"term": list(terms), "source": list(sources)})
    rows = rows.drop_duplicates("term").reset_index(drop=True)
    for column in SHEET_COLUMNS:
        if column not in rows.columns:
            rows[column] = ""
    return rows[SHEET_COLUMNS]


def read_sheet(path: str | Path) -> pd.DataFrame:
    """A curation sheet as written by :func:`sheet` and filled in by hand (any encoding the project reads).

    Raises
    ------
    LexiconError
        If the file cannot be read or lacks a column of :data:`SHEET_COLUMNS`.
    """
    path = Path(path)
    if not path.is_file():
        raise LexiconError(f"{path}: curation sheet not found; write one with discover or expand --as-lexicon")
    text, _ = decode(path.read_bytes(), source=path)
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LexiconError(f"{path}: not a readable CSV table ({str(exc).strip()}); check the file") from None
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in SHEET_COLUMNS if c not in table.columns]
    if missing:
        raise LexiconError(f"{path}: a curation sheet needs the column(s) {', '.join(missing)} "
                           f"(columns: {', '.join(SHEET_COLUMNS)})")
    return table.apply(lambda column: column.str.strip())


def decide(lexicon: Lexicon, decisions: pd.DataFrame, *, source: str = "curation sheet") -> tuple[pd.DataFrame, dict]:
    """The lexicon with a sheet's accepted rows added, and how many rows were accepted, rejected, undecided.

    Parameters
    ----------
    lexicon : Lexicon
        The lexicon the sheet extends.
    decisions : DataFrame
        A filled-in sheet (:func:`read_sheet`).
    source : str
        Named in messages (the sheet's file name).

    Returns
    -------
    (DataFrame, dict)
        The new lexicon table (``category, concept, term, en, source, since``;
        an accepted row's ``source`` is its sheet ``source`` followed by
        ``accepted by BY: WHY``), validated; and
        ``{"accept": n, "reject": n, "undecided": n}``.

    Raises
    ------
    LexiconError
        A decision other than accept/reject, a decided row without ``by`` or
        ``why``, an accepted row without concept, or a new lexicon that does
        not validate (e.g. the term is already under another concept).

    Examples
    --------
    >>> from analysis.lexicon import from_terms
    >>> base = from_terms({"共同富裕": ["共同富裕"]}, category="发展")
    >>> rows = sheet(["新质生产力", "各位代表"], ["discover", "discover"])
    >>> rows.loc[0, ["concept", "category", "decision", "by", "why"]] = ["新质生产力", "发展", "accept", "LW", "2024 formulation"]
    >>> rows.loc[1, ["decision", "by", "why"]] = ["reject", "LW", "form of address"]
    >>> table, tally = decide(base, rows)
    >>> table.term.tolist(), tally
    (['共同富裕', '新质生产力'], {'accept': 1, 'reject': 1, 'undecided': 0})
    """
    rows = decisions.fillna("").astype(str)
    decision = rows.decision.str.lower()
    for i, row in rows.iterrows():
        where = f"{source}, row {i + 2} ('{row.term}')"
        if decision[i] and decision[i] not in DECISIONS:
            raise LexiconError(f"{where}: decision '{row.decision}' is not accept or reject; write one of them, "
                               "or leave it empty while undecided")
        if decision[i] and (not row.by or not row.why):
            raise LexiconError(f"{where}: a decision needs who made it ('by') and why ('why'); fill both in")
        if decision[i] == "accept" and not row.concept:
            raise LexiconError(f"{where}: an accepted term needs its concept; fill in the concept column")
    accepted = rows[decision == "accept"].copy()
    accepted["source"] = [f"{s}; accepted by {b}: {w}" if s else f"accepted by {b}: {w}"
                          for s, b, w in zip(accepted.source, accepted.by, accepted.why)]
    base = lexicon.table.copy()
    base["since"] = base["since"].astype(object).where(base["since"].notna(), "")
    added = accepted.reindex(columns=[*COLUMNS, "since"], fill_value="")
    table = validate(pd.concat([base[[*COLUMNS, "since"]], added], ignore_index=True), source=source)
    tally = {"accept": int((decision == "accept").sum()), "reject": int((decision == "reject").sum()),
             "undecided": int((decision == "").sum())}
    return table[[*COLUMNS, "since"]], tally
