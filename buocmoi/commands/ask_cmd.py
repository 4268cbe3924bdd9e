"""`buocmoi ask`: answer questions from the FAQ, one from the command line or one per stdin line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.faq_answers import FaqService, get_faq_service
from bot.faq_eval import evaluate_by_lang, read_cases
from content.localized import LANGS, parse_lang


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="answer a question from the FAQ (or one per line from standard input)",
        description="Answer one question, or one question per line of standard input when no TEXT.",
    )
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the question (default: read stdin)")
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=None,
        help="language of the answer (default: the language the question is written in)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per question")
    parser.add_argument(
        "--evaluate",
        type=Path,
        metavar="FILE",
        help="print the matcher's accuracy on a labelled file (question<TAB>topic id or -)",
    )
    parser.set_defaults(func=run)


def _result(service: FaqService, question: str, lang: str | None, as_json: bool, one_line: bool) -> str:
    match = service.understanding.match(question, lang)
    text = service.text(match, lang or match.lang, question)
    if as_json:
        return json.dumps(
            {
                "kind": match.kind,
                "topic": match.topic,
                "lang": match.lang,
                "score": match.score,
                "answer": text,
                "suggestions": list(match.suggestions),
            },
            ensure_ascii=False,
        )
    return " ".join(text.split("\n")) if one_line else text


def run(args: argparse.Namespace) -> int:
    service = get_faq_service()
    if args.evaluate is not None:
        for lang_code, report in evaluate_by_lang(service.understanding, read_cases(args.evaluate)).items():
            print(f"[{lang_code}]")
            print(report.summary())
            for question, expected, got in report.misses:
                print(f"  miss: {question!r} expected {expected}, got {got}")
        return 0
    lang = parse_lang(args.lang) if args.lang else None
    if args.text:
        print(_result(service, " ".join(args.text), lang, args.json, one_line=False))
        return 0
    for line in sys.stdin:
        print(_result(service, line.rstrip("\r\n"), lang, args.json, one_line=True), flush=False)
    sys.stdout.flush()
    return 0
