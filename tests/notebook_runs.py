"""Run the notebook suite once per test session and share the result (used by test_notebooks and test_report).

Executing every notebook takes most of a minute, so the two test files share
one run: :func:`bundled` runs :func:`analysis.report.run` (the code path of
``python -m analysis report``) on the bundled data and writes the reports into
a temporary folder, once per process.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

#: A fixed date for the provenance block (reproducible builds), so two runs can be compared byte for byte.
SOURCE_DATE_EPOCH = "1700000000"


@cache
def bundled():
    """``(reports, folder)``: the :class:`analysis.report.Report` list and the folder the HTML was written to."""
    from analysis import report

    folder = Path(tempfile.mkdtemp(prefix="zhgov-reports-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    try:
        reports = report.run()
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    report.write(reports, folder)
    return reports, folder
