#!/usr/bin/env bash
# Translation workflow (Babel). Vietnamese is the source language (message ids are Vietnamese).
#   scripts/i18n.sh extract   # code -> locales/messages.pot (+ locales/console.pot: the staff console)
#   scripts/i18n.sh update    # .pot -> locales/{vi,en,km}/LC_MESSAGES/messages.po (new ids added)
#   scripts/i18n.sh compile   # .po -> .mo (done by the run and test commands)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
case "${1:-}" in
  extract) "$PYBABEL" extract -F babel.cfg --no-location --sort-output --project=buocmoi \
             --copyright-holder="Bước Mới" -o locales/messages.pot .
           # The staff console: Vietnamese and English (Khmer falls back to Vietnamese there).
           "$PYBABEL" extract -F babel-console.cfg -k T_ --no-location --sort-output --project=buocmoi \
             --copyright-holder="Bước Mới" -o locales/console.pot . ;;
  update)  # Widths as the catalogs were first written (76 for vi, 100 for the translations), so an
           # update adds its new entries without re-wrapping every other one.
           for lang in vi en km; do
             width=100; [ "$lang" = vi ] && width=76
             "$PYBABEL" update -i locales/messages.pot -d locales -l "$lang" -w "$width" --no-fuzzy-matching \
               --init-missing --ignore-obsolete
           done
           for lang in vi en; do
             "$PYBABEL" update -D console -i locales/console.pot -d locales -l "$lang" --no-fuzzy-matching \
               --init-missing --ignore-obsolete
           done ;;
  compile) "$PYBABEL" compile -d locales --statistics
           "$PYBABEL" compile -D console -d locales --statistics ;;
  *) echo "usage: $0 extract|update|compile" >&2; exit 2 ;;
esac
