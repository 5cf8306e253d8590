"""Paths and settings: the one place a run's choices are made, passed down whole.

Paths are anchored at the package rather than the working directory.
:class:`Settings` holds every choice about reading, cleaning and running a
corpus; it is built once (by the CLI from its flags, by a notebook from its
``parameters`` cell, or by ``corpus.build(path, keep_duplicates=True)``) and
handed down as one object, so a new option is added here and nowhere else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Literal

import platformdirs

from analysis.errors import AnalysisError, CacheError, InputError

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
SAMPLE_DIR = DATA_DIR / "sample"
SAMPLE_ESSAY = SAMPLE_DIR / "000_66efea22227603e2.txt"
CORPORA_DIR = DATA_DIR / "corpora"
LEXICON_DIR = DATA_DIR / "lexicon"
DEFAULT_LEXICON = LEXICON_DIR / "governance.yaml"
CODEBOOK_DIR = DATA_DIR / "codebooks"
DEFAULT_CODEBOOK = CODEBOOK_DIR / "policy_instruments.yaml"
REPORTS_DIR = PROJECT_DIR / "reports"

#: Rates are occurrences per this many characters of cleaned text (the ``per_10k`` columns).
RATE_BASE = 10_000

#: Name of the per-user cache directory (segmenter dictionaries, segmentation cache).
APP_NAME = "zhgov-analysis"

Engine = Literal["local", "dask"]
#: The engines a corpus can be processed on; the first is the default.
ENGINES = ("local", "dask")


def cache_dir() -> Path:
    """Per-user cache directory (created on demand), e.g. ``~/.cache/zhgov-analysis`` on Linux.

    ``ZHGOV_CACHE_DIR`` overrides it.

    Raises
    ------
    CacheError
        If the directory cannot be created or written (callers go on without a cache).
    """
    override = os.environ.get("ZHGOV_CACHE_DIR")
    path = Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError(13, "permission denied")
    except OSError as exc:
        raise CacheError(f"{path}: the cache folder cannot be used ({exc.strerror or exc}); "
                         "set ZHGOV_CACHE_DIR to a writable folder") from None
    return path


@dataclass(frozen=True)
class CleanOptions:
    """Which cleaning steps run; all on by default except ``simplified``."""

    simplified: bool = False
    han_spaces: bool = True
    dedupe: bool = True

    def steps(self) -> list[str]:
        """The names of the steps that run with these options, in order.

        Examples
        --------
        >>> CleanOptions(dedupe=False).steps()
        ['line_endings', 'han_spaces', 'contents']
        """
        on = {"simplified": self.simplified, "line_endings": True,
              "han_spaces": self.han_spaces, "contents": True, "duplicates": self.dedupe}
        return [step for step in ("simplified", "line_endings", "han_spaces", "contents", "duplicates") if on[step]]


@dataclass(frozen=True)
class Settings:
    """Every setting of a run: how inputs are read and cleaned, and where the work runs.

    Attributes
    ----------
    text_column : str
        The text column of ``.csv``/``.xlsx`` inputs.
    sheet : str, optional
        The sheet of ``.xlsx`` inputs (default: the first).
    keep_duplicates : bool
        Keep exact duplicate paragraphs (default: the first is kept, the rest removed and reported).
    join_han_spaces : bool
        Remove whitespace between two Han characters (default on).
    simplified : bool
        Convert Traditional characters to Simplified first (default off).
    jobs : int, optional
        Worker processes for the local engine (default: all cores; 1: none).
    engine : {"local", "dask"}
        Local worker processes, or a Dask cluster.
    scheduler : str, optional
        With ``engine="dask"``: the scheduler address (default: Dask on this machine).
    progress : bool, optional
        Progress bars: ``None`` where someone can see them, ``False`` never.

    Examples
    --------
    >>> s = Settings.of(keep_duplicates=True)
    >>> s.keep_duplicates, s.clean.dedupe
    (True, False)
    """

    text_column: str = "text"
    sheet: str | None = None
    keep_duplicates: bool = False
    join_han_spaces: bool = True
    simplified: bool = False
    jobs: int | None = None
    engine: Engine = "local"
    scheduler: str | None = None
    progress: bool | None = None

    def __post_init__(self):
        if self.jobs is not None and (not isinstance(self.jobs, int) or self.jobs < 1):
            raise AnalysisError(f"jobs must be a whole number of at least 1 (1 = no worker processes), "
                                f"not {self.jobs!r}", parameter="jobs")
        if self.engine not in ENGINES:
            raise AnalysisError(f"unknown engine {self.engine!r}; choose one of {', '.join(ENGINES)}",
                                parameter="engine")
        if self.scheduler is not None and self.engine != "dask":
            raise AnalysisError("a scheduler address needs the dask engine", parameter="scheduler")

    @classmethod
    def of(cls, settings: Settings | None = None, **changes) -> Settings:
        """``settings`` (default: the defaults) with some fields changed; unknown names are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise TypeError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        base = settings if settings is not None else cls()
        return replace(base, **changes) if changes else base

    @property
    def clean(self) -> CleanOptions:
        """The cleaning steps these settings ask for."""
        return CleanOptions(simplified=self.simplified, han_spaces=self.join_han_spaces,
                            dedupe=not self.keep_duplicates)


#: What each notebook parameter must be: a type and, for numbers, the smallest value allowed.
NOTEBOOK_PARAMETERS: dict[str, tuple[type, int | None]] = {
    "corpus_path": (str, None), "lexicon_path": (str, None), "essay_path": (str, None),
    "demo_lexicon_path": (str, None), "term": (str, None), "query": (str, None), "unit": (str, None),
    "split": (str, None), "by": (str, None), "keep_duplicates": (bool, None), "top_n": (int, 1),
    "max_words": (int, 1), "rows": (int, 1), "min_count": (int, 1), "width": (int, 0), "seed": (int, None),
    "corpora": (dict, None), "selected": (list, None), "corpus_settings": (dict, None),
    "codebook_path": (str, None), "dimension": (str, None), "cross_dimension": (str, None),
    "min_similarity": (int, 1), "reuse_pair": (list, None),
}
#: The settings a report may pass to its notebooks' ``corpus.build`` (reading and cleaning only).
CORPUS_SETTINGS = ("text_column", "sheet", "keep_duplicates", "join_han_spaces", "simplified")
_TYPE_NAMES = {str: ("文本", "text"), bool: ("True 或 False", "True or False"), int: ("整数", "a whole number"),
               dict: ("字典 {名称: 路径}", "a mapping {name: path}"), list: ("列表", "a list")}


def check_parameters(**parameters) -> None:
    """Check a notebook's parameters (as papermill or a user set them) before anything runs.

    Raises
    ------
    InputError
        One sentence in Chinese and English naming the parameter, what it must
        be and what it is (papermill's ``-p keep_duplicates no`` gives the
        text ``"no"``, not ``False``).

    Examples
    --------
    >>> check_parameters(top_n=20, keep_duplicates=False)
    >>> check_parameters(keep_duplicates="no")
    Traceback (most recent call last):
    ...
    analysis.errors.InputError: 参数 keep_duplicates 应为 True 或 False，现为 'no' / parameter keep_duplicates must be True or False, not 'no' (text) (with papermill: -p keep_duplicates True or -p keep_duplicates False)
    """
    for name, value in parameters.items():
        kind, minimum = NOTEBOOK_PARAMETERS.get(name, (None, None))
        if kind is None:
            continue
        wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if kind is int and not wrong and minimum is not None and value < minimum:
            raise InputError(f"参数 {name} 应不小于 {minimum}，现为 {value!r} / parameter {name} must be at least "
                             f"{minimum}, not {value!r}", parameter=name)
        if wrong:
            zh, en = _TYPE_NAMES[kind]
            got = _TYPE_NAMES.get(type(value), (type(value).__name__, type(value).__name__))[1]
            hint = f" (with papermill: -p {name} True or -p {name} False)" if kind is bool else ""
            raise InputError(f"参数 {name} 应为 {zh}，现为 {value!r} / parameter {name} must be {en}, "
                             f"not {value!r} ({got}){hint}", parameter=name)
        if name == "corpus_settings":
            unknown = sorted(set(value) - set(CORPUS_SETTINGS))
            if unknown:
                raise InputError(f"参数 corpus_settings 含未知设置 {', '.join(unknown)} / corpus_settings has unknown "
                                 f"setting(s) {', '.join(unknown)}; known: {', '.join(CORPUS_SETTINGS)}",
                                 parameter=name)
            Settings.of(**value)  # the values' own checks

