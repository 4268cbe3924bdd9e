"""Build the old-address tables in a child process and hand them over pickled.

Parsing the `vietnamadminunits` data files takes about 20 MB of short-lived Python objects; in a
long-running service that memory is never given back to the system. A child process parses the files
and returns only the compact tables the resolver keeps (a few MB), so `serve` stays small.

    python -m content.communes.snapshot 92   # writes the pickled tables to standard output
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import Any

from content.communes import legacy


def build(province_code: int) -> dict[object, Any]:
    return {
        "old_provinces": legacy.old_provinces(),
        "new_province_aliases": legacy.new_province_aliases(),
        ("old_wards", province_code): legacy.old_wards(province_code),
    }


def load_from_child(province_code: int) -> bool:
    """Fill the resolver's tables for `province_code` from a child process; False if that failed
    (the resolver then reads the files itself, as before)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "content.communes.snapshot", str(province_code)],
            capture_output=True,
            check=True,
            timeout=120,
        )
        # Our own child wrote this pickle a moment ago; nothing else can.
        legacy.use_snapshot(pickle.loads(done.stdout))
    except (subprocess.SubprocessError, OSError, pickle.UnpicklingError, EOFError):
        return False
    return True


if __name__ == "__main__":
    sys.stdout.buffer.write(pickle.dumps(build(int(sys.argv[1])), protocol=pickle.HIGHEST_PROTOCOL))
