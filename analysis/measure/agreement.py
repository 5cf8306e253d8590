"""Inter-coder agreement on a coding worksheet: Cohen's kappa (scikit-learn) and Krippendorff's alpha (``krippendorff``).

For each dimension and each pair of coders (the automatic coding counts as the
coder ``auto``), over the clauses both coded:

- **per code**: each clause is a yes/no decision (does it carry the code?);
- **overall** (``code`` = ``(all)``): each clause's set of codes is one nominal
  category (``人才培养; 资金投入`` and ``人才培养`` disagree).

``agreement`` is the share of those clauses on which the two agree;
``kappa`` is :func:`sklearn.metrics.cohen_kappa_score`; ``alpha`` is
:func:`krippendorff.alpha` at the nominal level. With more than two human
coders, a row with ``coder_a`` = ``(all coders)`` gives alpha over all human
coders at once (missing judgements allowed). Where a statistic is undefined
(both coders gave one and the same answer to every clause, so there is no
variation to agree on) it is missing, never a made-up 0 or 1.
"""

from __future__ import annotations

import warnings
from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd

from analysis.errors import CodebookError
from analysis.lexicon import Codebook
from analysis.measure.coding import AUTO, NONE

#: Columns of the agreement table.
COLUMNS = ["dimension", "code", "coder_a", "coder_b", "units", "agreement", "kappa", "alpha"]
ALL_CODES, ALL_CODERS = "(all)", "(all coders)"


def table(judgements: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Agreement between every pair of coders, per dimension, overall and per code.

    Parameters
    ----------
    judgements : DataFrame
        ``id, dimension, coder, codes`` (:func:`analysis.measure.coding.read_worksheet`).
    codebook : Codebook

    Returns
    -------
    DataFrame
        ``dimension, code, coder_a, coder_b, units`` (clauses both coded),
        ``agreement`` (share of them on which both agree), ``kappa``, ``alpha``.

    Examples
    --------
    >>> from analysis.lexicon import codebook
    >>> j = pd.DataFrame({"id": ["1", "2", "3", "4"] * 2, "dimension": "政策工具",
    ...                   "coder": ["甲"] * 4 + ["乙"] * 4,
    ...                   "codes": [("资金投入",), ("税收优惠",), (), ("资金投入",),
    ...                             ("资金投入",), ("税收优惠",), (), ("税收优惠",)]})
    >>> t = table(j, codebook.load())
    >>> t.loc[t.code == "(all)", ["coder_a", "coder_b", "units", "agreement", "kappa"]].values.tolist()
    [['甲', '乙', 4, 0.75, 0.6364]]
    """
    rows = []
    coders = list(dict.fromkeys(judgements.coder))
    coders = [c for c in coders if c != AUTO] + ([AUTO] if AUTO in coders else [])
    if coders in ([], [AUTO]):
        raise CodebookError("the worksheet has no human codes yet: fill in the coder columns (codes separated "
                            f"by ';', {NONE} for none) and read it again")
    for dimension in codebook.dimensions:
        mine = judgements[judgements.dimension == dimension]
        if mine.empty:
            continue
        wide = mine.pivot(index="id", columns="coder", values="codes")
        codes = codebook.codes(dimension).code.tolist()
        present = [c for c in coders if c in wide.columns]
        for a, b in combinations(present, 2):
            both = wide[[a, b]].dropna()
            if both.empty:
                continue
            sets = [both[a].map("; ".join).tolist(), both[b].map("; ".join).tolist()]
            rows.append(_row(dimension, ALL_CODES, a, b, *sets))
            for code in codes:
                rows.append(_row(dimension, code, a, b, *[[code in s for s in both[c]] for c in (a, b)]))
        humans = [c for c in present if c != AUTO]
        if len(humans) > 2:
            matrix = wide[humans]
            for code in [ALL_CODES, *codes]:
                values = np.array([[_value(cell, code) for cell in matrix[coder]] for coder in humans], dtype=object)
                rows.append({"dimension": dimension, "code": code, "coder_a": ALL_CODERS, "coder_b": "",
                             "units": int(matrix.notna().sum(axis=1).ge(2).sum()), "agreement": np.nan,
                             "kappa": np.nan, "alpha": _alpha(values)})
    return pd.DataFrame(rows, columns=COLUMNS)


def _value(codes, code: str):
    """One coder's answer for one clause: the code set (overall) or whether it holds ``code``; NaN if not coded."""
    if not isinstance(codes, tuple):
        return np.nan
    return "; ".join(codes) if code == ALL_CODES else code in codes


def _row(dimension: str, code: str, a: str, b: str, first: list, second: list) -> dict:
    agree = float(np.mean([x == y for x, y in zip(first, second)]))
    return {"dimension": dimension, "code": code, "coder_a": a, "coder_b": b, "units": len(first),
            "agreement": round(agree, 4), "kappa": _kappa(first, second),
            "alpha": _alpha(np.array([first, second], dtype=object))}


def _kappa(first: list, second: list) -> float:
    if len(set(first) | set(second)) < 2:
        return np.nan  # one answer throughout: chance agreement is 1 and kappa undefined
    from sklearn.metrics import cohen_kappa_score  # ~2 s to import: only when agreement is computed

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = cohen_kappa_score([str(v) for v in first], [str(v) for v in second])
    return round(float(value), 4) if np.isfinite(value) else np.nan


def _alpha(matrix: np.ndarray) -> float:
    """Krippendorff's nominal alpha of a coders × units matrix (NaN = not coded); categories mapped to integers."""
    labels: dict = {}
    numeric = np.full(matrix.shape, np.nan)
    for (i, j), value in np.ndenumerate(matrix):
        if not (isinstance(value, float) and np.isnan(value)):
            numeric[i, j] = labels.setdefault(value, len(labels))
    if len(labels) < 2:
        return np.nan  # one value in the whole domain: alpha undefined
    return round(float(krippendorff.alpha(reliability_data=numeric, level_of_measurement="nominal")), 4)
