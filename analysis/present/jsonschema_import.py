"""jsonschema imported without the IRI grammar: nbformat and altair load in 0.2 s instead of 1.9 s.

jsonschema checks string formats with optional packages. One of them,
rfc3987-syntax (installed with Jupyter, by jupyter-events), builds a parser of
the IRI grammar when it is imported: 1.6 s in every process that imports
nbformat or altair (the ``report`` command, the explorer's kernel). Neither
of them checks "iri" formats, so jsonschema is imported with that package
hidden; it stays importable afterwards for anyone who asks for it.
"""

from __future__ import annotations

import importlib
import sys

HIDDEN = "rfc3987_syntax"


def import_jsonschema() -> None:
    """Import jsonschema, if not yet imported, without its optional IRI checker.

    Examples
    --------
    >>> import_jsonschema()
    >>> import sys
    >>> "jsonschema" in sys.modules and sys.modules.get(HIDDEN, "importable") is not None
    True
    """
    if "jsonschema" in sys.modules or HIDDEN in sys.modules:
        return
    sys.modules[HIDDEN] = None  # jsonschema's ``import rfc3987_syntax`` fails at once, and it goes without
    try:
        importlib.import_module("jsonschema")
    finally:
        if HIDDEN in sys.modules and sys.modules[HIDDEN] is None:
            del sys.modules[HIDDEN]
