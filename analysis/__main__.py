"""``python -m analysis``: see :mod:`analysis.cli`."""

import sys

try:
    from analysis.cli import main
except KeyboardInterrupt:  # Ctrl-C while the modules load: one line, as everywhere else
    print("error: interrupted; no output file was written", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
