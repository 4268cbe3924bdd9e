#!/usr/bin/env bash
# Creates .venv (if missing), installs the project with its dev extra (when pyproject.toml changed),
# and compiles the translations. Sourced by scripts/serve.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Bước Mới needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version 2>&1)." >&2
  exit 1
fi
# The console's browser tests drive Debian's Chromium (browsers cannot be downloaded by pip here).
if { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; } && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
  else
    echo "setup: chromium and chromium-driver are missing; install them (as root): apt-get install chromium chromium-driver" >&2
  fi
fi
# The monthly list's PDF prints in Liberation Serif 2 (metrically Times New Roman, with Vietnamese);
# without it the PDF falls back to DejaVu Serif (fonts-liberation 1.x lacks Vietnamese letters).
if [ ! -d /usr/share/fonts/truetype/liberation2 ] && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-liberation2; } >&2 \
      || echo "setup: fonts-liberation2 could not be installed; the monthly list's PDF uses DejaVu Serif" >&2
  else
    echo "setup: fonts-liberation2 is missing (apt-get install fonts-liberation2); the PDF uses DejaVu Serif" >&2
  fi
fi
# The outreach posters (buocmoi outreach posters) write Vietnamese in DejaVu Sans; Khmer's font ships
# in buocmoi/outreach/fonts/.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >&2
  else
    echo "setup: fonts-dejavu-core is missing; install it (as root): apt-get install fonts-dejavu-core" >&2
  fi
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.buocmoi-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' >&2
  touch "$stamp"
fi
PYBABEL=.venv/bin/pybabel scripts/i18n.sh compile >/dev/null 2>&1 || PYBABEL=.venv/bin/pybabel scripts/i18n.sh compile
