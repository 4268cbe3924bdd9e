"""One printable A4 poster per commune (PDF, fpdf2): what Bước Mới is, "free of charge", QR codes to
the Telegram bot, the Zalo bot and the web chat with the commune already chosen, the commune's
contacts (unconfirmed ones marked), in Vietnamese and Khmer.

Fonts: DejaVu Sans for Vietnamese (Debian's fonts-dejavu-core); Noto Sans Khmer, shaped by HarfBuzz
(`set_text_shaping`, uharfbuzz), for Khmer: its two files (225 KB, SIL OFL) ship in `fonts/`, far
lighter than installing Debian's fonts-noto-core (12 MB) for them. The Khmer words come from the
bot's catalog (locales/km), which awaits a native speaker's review like the rest of it.

Speed: the fonts are parsed once per process and reused (fpdf2 re-reads a TTF on every
`add_font`); QR images are PNGs made by segno in memory. Posters are written by a small pool of
processes, one per core.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from pypdf import PdfReader, PdfWriter

from buocmoi.outreach.links import CommuneLinks
from content.communes.offices import Offices, contacts_for
from content.communes.official import province_name
from content.i18n import translator

FONTS = Path(__file__).parent / "fonts"
DEJAVU = Path(os.environ.get("BUOCMOI_DEJAVU_DIR", "/usr/share/fonts/truetype/dejavu"))
GREEN = (11, 110, 79)
RED = (160, 24, 24)
GREY = (70, 70, 70)
PAGE_W, MARGIN = 210.0, 14.0
TEXT_W = PAGE_W - 2 * MARGIN
CHUNK = 20  # posters per worker process at least (each reads the fonts once)


def N_(message: str) -> str:  # marks a message id for extraction; translated when drawn
    return message


SUBTITLE = N_("Hỗ trợ vay vốn tạo việc làm theo Quyết định 22/2023/QĐ-TTg")
FREE = N_("Miễn phí: không ai được thu tiền làm hồ sơ.")
FOR_WHOM = N_(
    "Dành cho người đã chấp hành xong án phạt tù và gia đình: hỏi đáp về chính sách, kiểm tra thử "
    "điều kiện vay, và gửi yêu cầu tới cán bộ xã/phường khi bạn đồng ý. Hỏi và kiểm tra không cần "
    "cho biết tên."
)
SCAN = N_("Quét mã bằng camera điện thoại:")
KHMER_HINT = N_("Trong cuộc trò chuyện, chọn ngôn ngữ ở đầu trang hoặc gõ /ngonngu.")
WEB = N_("Trang web, không cần cài đặt")
CONTACTS = N_("Nơi liên hệ")
UNCONFIRMED = N_("(thông tin chưa được xác nhận, hãy hỏi lại trước khi đến)")
PRIVACY = N_(
    "Thông tin của bạn chỉ được gửi cho Công an xã/phường và Ngân hàng Chính sách xã hội khi bạn "
    "đồng ý. Bạn xem hoặc xóa dữ liệu bất cứ lúc nào."
)


class MissingFont(Exception):
    pass


@dataclass(frozen=True)
class PosterContext:
    province: int
    offices: Offices  # content/data/offices.yaml, loaded (and checked) once by the command


def _fonts() -> dict[tuple[str, str], Path]:
    files = {
        ("DejaVu", ""): DEJAVU / "DejaVuSans.ttf",
        ("DejaVu", "B"): DEJAVU / "DejaVuSans-Bold.ttf",
        ("Khmer", ""): FONTS / "NotoSansKhmer-Regular.ttf",
        ("Khmer", "B"): FONTS / "NotoSansKhmer-Bold.ttf",
    }
    missing = [str(path) for path in files.values() if not path.exists()]
    if missing:
        raise MissingFont(
            "font file(s) missing: " + ", ".join(missing) + " (DejaVu: apt-get install fonts-dejavu-core)"
        )
    return files


def _new_pdf() -> FPDF:
    # fontTools reports every step of each subset at INFO: thousands of log lines, and slow.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title("Bước Mới")
    pdf.set_creator("Bước Mới")
    for (family, style), path in _fonts().items():
        pdf.add_font(family, style, str(path))
    # Digits, Latin letters and punctuation inside Khmer text ("22/2023/QĐ-TTg", "/ngonngu").
    pdf.set_fallback_fonts(["DejaVu"])
    return pdf


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def _font(pdf: FPDF, family: str, style: str, size: float) -> None:
    # HarfBuzz shaping only for Khmer, which needs it; Vietnamese (precomposed) is as quick without.
    pdf.set_text_shaping(family == "Khmer")
    pdf.set_font(family, style, size)


_lines_cache: dict[tuple[str, str, float, float, str], list[str]] = {}


def _text(
    pdf: FPDF, width: float, height: float, text: str, align: str = "L", new_x: str = "LMARGIN"
) -> None:
    """`multi_cell` with the line breaks of each (font, width, text) found once per process: most
    words are the same on every poster, and breaking shaped (Khmer) text measures each line again
    for every character added, which was most of a poster's time."""
    key = (pdf.font_family, pdf.font_style, pdf.font_size_pt, width, text)
    lines = _lines_cache.get(key)
    if lines is None:
        found = pdf.multi_cell(width, height, text, dry_run=True, output=MethodReturnValue.LINES)
        assert isinstance(found, list)  # LINES alone: the list of lines
        lines = _lines_cache[key] = [str(line) for line in found]
    x = pdf.get_x()
    for line in lines:
        pdf.set_x(x)
        pdf.cell(width, height, line, align=align, new_x="LEFT", new_y="NEXT")
    if new_x == "LMARGIN":
        pdf.set_x(pdf.l_margin)


def _paragraph(
    pdf: FPDF, family: str, style: str, size: float, text: str, align: str = "L", gap: float = 1.5
) -> None:
    _font(pdf, family, style, size)
    _text(pdf, TEXT_W, size * 0.48, text, align=align)
    pdf.ln(gap)


def poster(links: CommuneLinks, context: PosterContext) -> bytes:
    """The PDF of one commune's poster."""
    pdf = _new_pdf()
    _draw(pdf, links, context)
    return bytes(pdf.output())


def posters(items: list[CommuneLinks], context: PosterContext) -> list[bytes]:
    """The PDFs of several posters: drawn as the pages of one document, so the fonts are read and
    subset once (most of the time of a single poster), then cut into one PDF per page."""
    pdf = _new_pdf()
    for links in items:
        _draw(pdf, links, context)
    reader = PdfReader(io.BytesIO(pdf.output()))
    out = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        writer.add_metadata({"/Title": "Bước Mới", "/Creator": "Bước Mới"})
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out


def _draw(pdf: FPDF, links: CommuneLinks, context: PosterContext) -> None:
    vi, km = translator("vi"), translator("km")
    pdf.add_page()
    # The band: name and what it is, in both languages.
    pdf.set_fill_color(*GREEN)
    pdf.rect(0, 0, PAGE_W, 40, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(MARGIN, 7)
    _paragraph(pdf, "DejaVu", "B", 30, "BƯỚC MỚI", align="C", gap=0.5)
    _paragraph(pdf, "DejaVu", "", 13, vi(SUBTITLE), align="C", gap=0.5)
    _paragraph(pdf, "Khmer", "", 11, km(SUBTITLE), align="C", gap=0)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(MARGIN, 46)
    _paragraph(pdf, "DejaVu", "B", 24, links.name, align="C", gap=0)
    pdf.set_text_color(*GREY)
    _paragraph(pdf, "DejaVu", "", 11, province_name(context.province), align="C", gap=3)
    # Free of charge, in a red frame.
    top = pdf.get_y()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.set_text_color(*RED)
    pdf.set_xy(MARGIN + 3, top + 2.5)
    _font(pdf, "DejaVu", "B", 15)
    _text(pdf, TEXT_W - 6, 7, vi(FREE), align="C")
    pdf.set_x(MARGIN + 3)
    _font(pdf, "Khmer", "B", 12)
    _text(pdf, TEXT_W - 6, 7, km(FREE), align="C")
    bottom = pdf.get_y() + 2
    pdf.rect(MARGIN, top, TEXT_W, bottom - top)
    pdf.set_y(bottom + 4)
    pdf.set_text_color(0, 0, 0)
    _paragraph(pdf, "DejaVu", "", 11.5, vi(FOR_WHOM), gap=1)
    _paragraph(pdf, "Khmer", "", 10, km(FOR_WHOM), gap=3)
    # The QR codes, side by side.
    _font(pdf, "DejaVu", "B", 12)
    pdf.cell(TEXT_W / 2, 6, vi(SCAN))
    _font(pdf, "Khmer", "B", 10.5)
    pdf.cell(TEXT_W / 2, 6, km(SCAN), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    codes = [(label, url) for label, url in _targets(links, vi, km) if url]
    _qr_row(pdf, codes)
    pdf.set_text_color(*GREY)
    _paragraph(pdf, "DejaVu", "", 9.5, vi(KHMER_HINT), gap=0)
    _paragraph(pdf, "Khmer", "", 8.5, km(KHMER_HINT), gap=3)
    # The commune's contacts.
    pdf.set_text_color(0, 0, 0)
    _font(pdf, "DejaVu", "B", 12.5)
    pdf.cell(0, 7, vi(CONTACTS) + "  ·  ", new_x="END")
    _font(pdf, "Khmer", "B", 11)
    pdf.cell(0, 7, km(CONTACTS), new_x="LMARGIN", new_y="NEXT")
    for line, confirmed in _contact_lines(context.offices, links.code):
        pdf.set_text_color(*(GREY if not confirmed else (0, 0, 0)))
        _paragraph(pdf, "DejaVu", "", 10.5, line, gap=0.8)
        if not confirmed:
            _paragraph(pdf, "Khmer", "", 8.5, km(UNCONFIRMED), gap=1)
    # Privacy, at the foot of the page.
    pdf.set_text_color(*GREY)
    pdf.set_y(max(pdf.get_y() + 2, 268))
    _paragraph(pdf, "DejaVu", "", 8.5, vi(PRIVACY), gap=0.3)
    _paragraph(pdf, "Khmer", "", 7.5, km(PRIVACY), gap=0)


def _targets(
    links: CommuneLinks, vi: Callable[[str], str], km: Callable[[str], str]
) -> list[tuple[tuple[str, str], str | None]]:
    return [
        (("Telegram", "Telegram"), links.telegram),
        (("Zalo", "Zalo"), links.zalo),
        ((vi(WEB), km(WEB)), links.web),
    ]


def _qr_row(pdf: FPDF, codes: list[tuple[tuple[str, str], str]]) -> None:
    count = len(codes)
    size = 52.0 if count >= 3 else 60.0
    gap = (TEXT_W - count * size) / max(count, 1)
    top = pdf.get_y()
    lowest = top
    for index, ((label_vi, label_km), url) in enumerate(codes):
        left = MARGIN + gap / 2 + index * (size + gap)
        pdf.image(_qr_png(url), x=left, y=top, w=size, h=size)
        pdf.set_xy(left - gap / 2 + 1, top + size + 1)
        pdf.set_text_color(0, 0, 0)
        _font(pdf, "DejaVu", "B", 9)
        _text(pdf, size + gap - 2, 5, label_vi, align="C", new_x="LEFT")
        if label_km != label_vi:
            _font(pdf, "Khmer", "", 9)
            _text(pdf, size + gap - 2, 5, label_km, align="C", new_x="LEFT")
        pdf.set_text_color(*GREY)
        _font(pdf, "DejaVu", "", 7.5)
        shown = url.split("://", 1)[-1]  # what a person would type: no scheme
        _text(pdf, size + gap - 2, 3.6, shown, align="C", new_x="LEFT")
        lowest = max(lowest, pdf.get_y())
    pdf.set_xy(MARGIN, lowest + 3)


def _contact_lines(offices: Offices, code: str) -> list[tuple[str, bool]]:
    vi = translator("vi")
    lines = []
    for contact in contacts_for(offices, code, "vi"):
        line = "• " + contact.name
        if contact.address:
            line += ", " + contact.address
        if contact.phone:
            line += ", " + vi("ĐT {phone}").format(phone=contact.phone)
        if not contact.confirmed:
            line += " " + vi(UNCONFIRMED)
        lines.append((line, contact.confirmed))
    return lines


def file_name(links: CommuneLinks) -> str:
    return f"poster-{links.code}.pdf"


def _write_chunk(job: tuple[list[CommuneLinks], PosterContext, str]) -> list[str]:
    items, context, out = job
    paths = []
    for links, data in zip(items, posters(items, context), strict=True):
        path = Path(out) / file_name(links)
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def write_posters(
    links: Iterable[CommuneLinks], out: Path, context: PosterContext, workers: int | None = None
) -> list[Path]:
    """Every poster into `out` (made if missing); the paths written, in the communes' order."""
    out.mkdir(parents=True, exist_ok=True)
    _fonts()  # a missing font stops here, before any process starts
    items = list(links)
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    workers = max(1, min(workers, len(items) // CHUNK or 1))
    size = -(-len(items) // workers) if items else 1
    jobs = [(items[i : i + size], context, str(out)) for i in range(0, len(items), size)]
    if len(jobs) <= 1:
        return [Path(p) for job in jobs for p in _write_chunk(job)]
    with ProcessPoolExecutor(len(jobs)) as pool:
        return [Path(p) for paths in pool.map(_write_chunk, jobs) for p in paths]
