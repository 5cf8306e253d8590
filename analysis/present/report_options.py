"""The options a reader gives ``report``: flags or a small YAML/TOML file, checked strictly, as notebook parameters.

One table, :data:`OPTIONS`, says what each option is called in a file, which
notebook parameter it sets and what it must be; the CLI builds its flags from
the same names. A file with a key not in the table is refused with one
sentence naming the unknown keys and the valid ones.

Examples
--------
>>> notebook_parameters({"kwic": "协商民主", "concepts": ["党的领导"], "top_n": 10})
{'query': '协商民主', 'selected': ['党的领导'], 'top_n': 10}
"""

from __future__ import annotations

import difflib
import importlib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from analysis.config import check_parameters
from analysis.errors import InputError

#: The TOML reader of Python 3.11+ (None on 3.10, which reads YAML configurations only).
tomllib = importlib.import_module("tomllib") if sys.version_info >= (3, 11) else None

#: option -> (notebook parameter, what it sets). The option names are those of the file and (with - for _) the flags.
OPTIONS: dict[str, tuple[str, str]] = {
    "title": ("title", "title shown at the top of every page and of the index"),
    "kwic": ("query", "concept or term whose keyword-in-context lines 04-context shows"),
    "concepts": ("selected", "concepts whose trends 03-trends draws (a list)"),
    "split": ("split", "period split for keyness, e.g. 'year >= 2012' (empty: at the median year)"),
    "top_n": ("top_n", "rows of the tables and bars of the charts"),
    "min_count": ("min_count", "co-occurring pairs found together fewer times are left out"),
}
#: Options of the file that are not notebook parameters: inputs, reading settings and the output folder.
FILE_ONLY = ("corpus", "lexicon", "output", "text_column", "sheet", "keep_duplicates", "keep_spaces", "simplified")


def read_config(path: str | Path) -> dict:
    """A report configuration file (``.yaml``/``.yml`` or ``.toml``) as a dict of checked options.

    Relative paths in it (``corpus``, ``lexicon``, ``output``) are read from the file's folder.

    Raises
    ------
    InputError
        The file cannot be read, is not a mapping, has unknown keys (all named,
        with the valid ones), or a value of the wrong type.

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "report.yaml")
    >>> _ = open(path, "w", encoding="utf-8").write("kwic: 协商民主\\nconcepts: [党的领导, 共同富裕]\\nsplit: year >= 2012\\n")
    >>> read_config(path)
    {'kwic': '协商民主', 'concepts': ['党的领导', '共同富裕'], 'split': 'year >= 2012'}
    >>> _ = open(path, "w", encoding="utf-8").write("kwik: 协商民主\\n")
    >>> try:
    ...     read_config(path)
    ... except InputError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    unknown key(s) kwik; valid keys: title, kwic, concepts, split, top_n, min_count, corpus, lexicon, output, text_column, sheet, keep_duplicates, keep_spaces, simplified
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the report configuration ({exc}); give a UTF-8 .yaml or .toml file",
                         parameter="config") from None
    try:
        if path.suffix.lower() == ".toml":
            if tomllib is None:
                raise ImportError("tomllib")
            data = tomllib.loads(text)
        elif path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            raise InputError(f"{path}: a report configuration is a .yaml, .yml or .toml file", parameter="config")
    except ImportError:
        raise InputError(f"{path}: TOML needs Python 3.11 or newer; write the same keys as YAML (report.yaml)",
                         parameter="config") from None
    except (yaml.YAMLError, ValueError) as exc:
        raise InputError(f"{path}: not valid {path.suffix[1:].upper()} ({str(exc).splitlines()[0]})",
                         parameter="config") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: the configuration must be keys with values (e.g. 'kwic: 协商民主'), "
                         f"not a {type(data).__name__}", parameter="config")
    valid = [*OPTIONS, *FILE_ONLY]
    unknown = [str(k) for k in data if k not in valid]
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(valid)}",
                         parameter="config")
    kinds = {"title": str, "corpus": str, "lexicon": str, "output": str, "text_column": str, "sheet": str,
             "keep_duplicates": bool, "keep_spaces": bool, "simplified": bool}
    for key, kind in kinds.items():
        if key in data and not isinstance(data[key], kind):
            raise InputError(f"{path}: '{key}' must be {'text' if kind is str else 'true or false'}, "
                             f"not {data[key]!r}", parameter=key)
    for key in ("corpus", "lexicon", "output"):  # paths in the file are read from the file's folder
        if key in data and not Path(data[key]).is_absolute():
            data[key] = str(path.parent / data[key])
    if isinstance(data.get("concepts"), str):  # one concept written without brackets
        data["concepts"] = [data["concepts"]]
    check_parameters(**notebook_parameters(data))
    return data


def notebook_parameters(options: Mapping[str, object]) -> dict:
    """The notebook parameters the given report options set (unset options left out).

    Examples
    --------
    >>> notebook_parameters({"split": "year >= 2000", "corpus": "x", "min_count": None})
    {'split': 'year >= 2000'}
    """
    return {OPTIONS[k][0]: v for k, v in options.items() if k in OPTIONS and v is not None}


def closest_concepts(names: Sequence[str], known: Sequence[str]) -> dict[str, list[str]]:
    """For each name not among ``known``, up to three close known names (by characters in common).

    Examples
    --------
    >>> closest_concepts(["协商民主", "协商民主制度", "xyz"], ["协商民主", "基层协商民主", "全过程人民民主"])
    {'协商民主制度': ['协商民主', '基层协商民主'], 'xyz': []}
    """
    known = list(dict.fromkeys(known))
    return {name: difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            for name in names if name not in set(known)}


def unknown_concepts_notice(names: Sequence[str], known: Sequence[str]) -> str | None:
    """One Chinese sentence naming the concepts not in the lexicon and the closest ones that are (None if all are).

    Examples
    --------
    >>> unknown_concepts_notice(["协商民主制度"], ["协商民主", "社区治理"])
    '词表中没有这些概念，已略过：协商民主制度（最接近的：协商民主）。'
    >>> unknown_concepts_notice(["协商民主"], ["协商民主"]) is None
    True
    """
    missing = closest_concepts(names, known)
    if not missing:
        return None
    parts = [f"{name}（最接近的：{'、'.join(near)}）" if near else f"{name}（没有相近的概念）"
             for name, near in missing.items()]
    return f"词表中没有这些概念，已略过：{'；'.join(parts)}。"
