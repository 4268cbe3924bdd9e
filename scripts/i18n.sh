#!/usr/bin/env bash
# Translation workflow (Babel). Vietnamese is the source language (message ids are Vietnamese).
#   scripts/i18n.sh extract   # code -> locales/messages.pot
#   scripts/i18n.sh update    # .pot -> locales/{vi,en,km}/LC_MESSAGES/messages.po (new ids added)
#   scripts/i18n.sh compile   # .po -> .mo (done by the run and test commands)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
case "${1:-}" in
  extract) "$PYBABEL" extract -F babel.cfg --no-location --sort-output --project=buocmoi \
             --copyright-holder="Bước Mới" -o locales/messages.pot bot api content buocmoi ;;
  update)  "$PYBABEL" update -i locales/messages.pot -d locales --no-fuzzy-matching --init-missing --ignore-obsolete ;;
  compile) "$PYBABEL" compile -d locales --statistics ;;
  *) echo "usage: $0 extract|update|compile" >&2; exit 2 ;;
esac
