#!/usr/bin/env bash
# Set up and run the service on the embedded default: SQLite under ./var/, no Telegram token needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/buocmoi db upgrade
exec .venv/bin/buocmoi serve
