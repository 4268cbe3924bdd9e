"""`buocmoi screen [--json] [--lang vi|km|en]`: screen one flat JSON answer set per input line.

Writes exactly one line per input line to standard output (a result, or `{"error": "..."}` in the
chosen language) and exits 0 once every line was read. See screening.md, "Machine form".
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any, TextIO

from content.catalog import get_content
from content.localized import LANGS
from content.problems import ContentError
from content.screening import InputError, ScreeningContent, evaluate
from content.screening.answers import line_error

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "screen",
        help="pre-eligibility screening of answer sets read from standard input, one JSON object a line",
    )
    parser.add_argument("--json", action="store_true", help="write one JSON object a line")
    parser.add_argument("--lang", choices=LANGS, default="vi", help="language of the texts (default vi)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        content = get_content().screening
    except ContentError as err:
        print(str(err), file=sys.stderr)
        return 1
    stdin = _utf8_lines(sys.stdin)
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")
    count = 0
    for line in stdin:
        out.write(screen_line(line, content, args.lang, as_json=args.json) + "\n")
        out.flush()
        count += 1
    log.info("screened", extra={"lines": count})
    return 0


def screen_line(line: str, content: ScreeningContent, lang: str, *, as_json: bool) -> str:
    """One input line → one output line (never containing a newline)."""
    text = line.strip()
    result: Any
    if not text:
        result = line_error("empty_line", content)
    else:
        try:
            answers = json.loads(text)
        except (ValueError, RecursionError):
            result = line_error("bad_json", content)
        else:
            result = evaluate(answers, None, content)
    if as_json:
        return json.dumps(result.to_json(lang), ensure_ascii=False)
    if isinstance(result, InputError):
        return result.message(lang)
    text_line: str = result.to_text(lang)
    return text_line


def _utf8_lines(stream: TextIO) -> Any:
    """Lines of standard input decoded as UTF-8 (undecodable bytes replaced), newline kept apart."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        yield from stream
        return
    for raw in buffer:
        yield raw.decode("utf-8", errors="replace")
