#!/usr/bin/env bash
# Set up and run the whole test suite (SQLite by default; PostgreSQL when DATABASE_URL points there).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/pytest "$@"
