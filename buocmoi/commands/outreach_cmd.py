"""`buocmoi outreach`: the outreach kit ("tuyên truyền") for commune offices and prisons.

- `buocmoi outreach links [--commune CODE ...]`: CSV, one row per commune of the province, with its
  Telegram, Zalo and web links that open Bước Mới with the commune already chosen.
- `buocmoi outreach posters --out DIR [--commune CODE ...]`: one printable A4 PDF poster per commune
  (`poster-<code>.pdf`), in Vietnamese and Khmer, with QR codes of those links and the commune's
  contacts.

Links use `BUOCMOI_BOT_USERNAME` (Telegram), `ZALO_BOT_LINK` (Zalo) and `BUOCMOI_PUBLIC_URL` (web).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from api.core.config import ApiSettings
from buocmoi.outreach.links import CommuneLinks, OutreachSettings, province_links, to_csv
from buocmoi.settings import SettingsError, load_settings
from content.catalog import get_content
from content.problems import ContentError, report


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "outreach",
        help="the outreach kit: links per commune (CSV) and printable posters (PDF)",
        description="Links that open Bước Mới with a commune chosen, and a printable poster per commune.",
    )
    kinds = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
    links = kinds.add_parser("links", help="the Telegram, Zalo and web links of each commune, as CSV")
    links.add_argument("--commune", action="append", default=[], metavar="CODE", help="only these communes")
    links.set_defaults(func=run_links)
    posters = kinds.add_parser("posters", help="one printable A4 PDF poster per commune (vi + km)")
    posters.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="folder to write the PDFs into"
    )
    posters.add_argument("--commune", action="append", default=[], metavar="CODE", help="only these communes")
    posters.set_defaults(func=run_posters)


def _links(args: argparse.Namespace) -> tuple[ApiSettings, list[CommuneLinks]] | int:
    try:
        api = load_settings(ApiSettings)
        outreach = load_settings(OutreachSettings)
    except SettingsError as err:
        print(f"buocmoi outreach: cannot start:\n{err}", file=sys.stderr)
        return 2
    rows = province_links(api, outreach)
    if args.commune:
        known = {row.code: row for row in rows}
        unknown = [code for code in args.commune if code not in known]
        if unknown:
            print(
                f"buocmoi outreach: not a commune of province {api.province}: {', '.join(unknown)}",
                file=sys.stderr,
            )
            return 2
        rows = [known[code] for code in dict.fromkeys(args.commune)]
    if not api.bot_username:
        print("buocmoi outreach: BUOCMOI_BOT_USERNAME is not set: no Telegram links", file=sys.stderr)
    if not outreach.zalo_bot_link:
        print("buocmoi outreach: ZALO_BOT_LINK is not set: no Zalo links", file=sys.stderr)
    if not api.public_url:
        print(
            f"buocmoi outreach: BUOCMOI_PUBLIC_URL is not set: web links point to {api.base_url}",
            file=sys.stderr,
        )
    return api, rows


def run_links(args: argparse.Namespace) -> int:
    found = _links(args)
    if isinstance(found, int):
        return found
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    sys.stdout.write(to_csv(found[1]))
    return 0


def run_posters(args: argparse.Namespace) -> int:
    from buocmoi.outreach.posters import MissingFont, PosterContext, write_posters

    found = _links(args)
    if isinstance(found, int):
        return found
    api, rows = found
    try:
        offices = get_content().offices
    except ContentError as err:
        print(f"buocmoi outreach: the content is broken.\n{report(err.problems)}", file=sys.stderr)
        return 1
    started = time.monotonic()
    try:
        paths = write_posters(rows, args.out, PosterContext(api.province, offices))
    except MissingFont as err:
        print(f"buocmoi outreach: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"buocmoi outreach: cannot write to {args.out}: {err.strerror}", file=sys.stderr)
        return 1
    print(f"{len(paths)} posters written to {args.out} in {time.monotonic() - started:.1f} s")
    return 0
