"""The implementation report as a DOCX draft, in the layout of an administrative report
(Nghị định 30/2020/NĐ-CP, Phụ lục I): A4, margins 20/20/30/15 mm, Times New Roman 14 (tables 12),
the national motto and the issuing unit side by side, "Số: …/BC-…", the place-and-date line, the
title, numbered sections, the recipients ("Nơi nhận") and the signature block; page numbers centred at
the top from page 2. Charts are PNG (api/services/report_charts.py). What the project cannot know is a
marked blank (report_words)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from api.services import report_charts as charts
from api.services import report_words as W
from api.services.report_figures import STATUSES, ReportFigures
from content.catalog import get_content

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table, _Row
    from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
CLOSED_OR_GONE = ("declined", "withdrawn")
BAR_COMMUNES = 25  # communes shown in the targets chart (the annex lists every one)


def to_docx(figures: ReportFigures, issuer: str) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _east_asian_font(normal)
    _page_numbers(document)

    scope = figures.scope
    place = W.place_of(
        scope.province_name
        if scope.whole_province or len(scope.communes) != 1
        else next(iter(scope.communes.values()))
    )
    _header(document, issuer, W.place_line(place, figures.as_of.year))
    _title(document, figures)
    _results(document, figures, issuer)
    for heading, blank in (
        (W.SECTION_ASSESSMENT, W.BLANK_ASSESSMENT),
        (W.SECTION_DIFFICULTIES, W.BLANK_DIFFICULTIES),
        (W.SECTION_NEXT, W.BLANK_NEXT),
        (W.SECTION_PROPOSALS, W.BLANK_PROPOSALS),
    ):
        _heading(document, heading)
        _blank(_body(document), blank)
    _signature(document, figures)
    _annex(document, figures)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- layout helpers ----------------------------------------------------------------------------


def _east_asian_font(style: object) -> None:
    # Word picks the font of Vietnamese letters from w:eastAsia / w:cs too on some systems.
    from docx.oxml.ns import qn

    element = style.element  # type: ignore[attr-defined]
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _page_numbers(document: DocxDocument) -> None:
    """Nghị định 30: the page number centred in the top margin, not on the first page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _paragraph(
    container: Any,  # the document or a table cell
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_PT,
    align: str = "justify",
    indent: bool = False,
    after: float = 6,
) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph: Paragraph = container.add_paragraph()
    paragraph.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    form = paragraph.paragraph_format
    form.space_before, form.space_after = Pt(0), Pt(after)
    if indent:
        form.first_line_indent = Cm(1.27)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _body(document: DocxDocument, text: str = "") -> Paragraph:
    return _paragraph(document, text, indent=True)


def _blank(paragraph: Paragraph, text: str) -> None:
    """A blank the unit fills in: bracketed, italic and highlighted, so nobody sends it as is."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(BODY_PT)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _heading(document: DocxDocument, text: str) -> None:
    _paragraph(document, text, bold=True, indent=True, after=6)


def _cell_text(
    cell: object,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = TABLE_PT,
    align: str = "center",
    after: float = 0,
) -> Paragraph:
    paragraph: Paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    if paragraph.text:
        paragraph = cell.add_paragraph()  # type: ignore[attr-defined]
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _header(document: DocxDocument, issuer: str, place_line: str) -> None:
    """Two columns without borders: the issuing unit and number (left), the motto and date (right)."""

    table = document.add_table(rows=1, cols=2)
    _widths(table, (62, 103))
    left, right = table.rows[0].cells
    _cell_text(left, W.PARENT_BLANK, size=13)
    _cell_text(left, issuer.upper(), bold=True, size=13)
    _cell_text(left, "───────", size=10)
    _cell_text(left, W.NUMBER_LINE, size=13)
    _cell_text(right, W.MOTTO_1, bold=True, size=12)
    _cell_text(right, W.MOTTO_2, bold=True, size=13.5)
    _cell_text(right, "──────────────────", size=10, after=6)
    _cell_text(right, place_line, italic=True, size=14)
    _paragraph(document, after=6)


def _title(document: DocxDocument, figures: ReportFigures) -> None:
    period = W.period_text(figures.period.year, figures.period.half)
    _paragraph(document, W.TITLE, bold=True, align="center", after=0)
    _paragraph(document, f"Kết quả thực hiện {W.DECISION} {period}", bold=True, align="center", after=0)
    _paragraph(document, "───────", align="center", size=10, after=6)
    note = _paragraph(document, align="center", after=12)
    _blank(note, "(" + W.DRAFT_NOTE.format(as_of=W.day_text(figures.as_of)) + ")")


def _table(
    document: DocxDocument,
    caption: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths_mm: Sequence[float],
    bold_last: bool = False,
) -> Table:
    from docx.shared import Mm

    if caption:
        _paragraph(document, caption, italic=True, bold=True, align="center", size=TABLE_PT, after=3)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    _widths(table, widths_mm)
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, header, bold=True)
    _repeat_header(table)
    for index, row in enumerate(rows):
        added = table.add_row()
        _keep_together(added)
        cells = added.cells
        last = bold_last and index == len(rows) - 1
        for cell, value, width in zip(cells, row, widths_mm, strict=True):
            cell.width = Mm(width)
            numeric = isinstance(value, int | float)
            text = W.money(value) if isinstance(value, int) else str(value)
            _cell_text(cell, text, bold=last, align="right" if numeric else "left")
    _paragraph(document, after=6)
    return table


def _widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths: Word reads the cells' widths, LibreOffice the grid's; set both."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _keep_together(row: _Row) -> None:
    """A row never breaks across two pages."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(table: Table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _picture(document: DocxDocument, png: bytes, width_mm: float = 160) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document.add_picture(io.BytesIO(png), width=Mm(width_mm))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


# --- the report's parts -------------------------------------------------------------------------


def _results(document: DocxDocument, figures: ReportFigures, issuer: str) -> None:
    scope = figures.scope
    period = W.period_text(figures.period.year, figures.period.half)
    opening = _body(document)
    text = W.OPENING.format(issuer=issuer, decision=W.DECISION, period_text=period)
    blank_end = text.index("]") + 1
    _blank(opening, text[:blank_end])
    opening.add_run(text[blank_end:])
    _heading(document, W.SECTION_RESULTS)
    labels = get_content().leads.status_labels

    # 1. referrals
    _heading(document, W.REFERRALS_HEADING)
    with_referrals = [c for c in figures.communes if c.referrals or c.business or c.lists_sent]
    scope_name = (
        W.lower_kind(scope.province_name)
        if scope.whole_province
        else ", ".join(W.lower_kind(name) for name in scope.communes.values())
    )
    _body(
        document,
        W.REFERRALS_TEXT.format(
            scope_name=scope_name,
            referrals=figures.referrals,
            communes_with=sum(1 for c in figures.communes if c.referrals),
            communes=len(figures.communes),
            business=figures.business_referrals,
        ),
    )
    by_status = figures.by_status
    _table(
        document,
        W.BY_STATUS_CAPTION,
        W.STATUS_HEADERS,
        [(labels[s].get("vi"), by_status[s]) for s in STATUSES] + [(W.TOTAL, figures.referrals)],
        (110, 55),
        bold_last=True,
    )
    months = figures.months
    _picture(
        document,
        charts.monthly_bars(
            W.MONTHS_CHART,
            [m.month for m in months],
            [m.persons for m in months],
            [m.businesses for m in months],
            W.PERSONS,
            W.BUSINESSES,
        ),
    )
    rows: list[tuple[object, ...]] = []
    for index, commune in enumerate(with_referrals, start=1):
        counts = commune.by_status
        rows.append(
            (
                index,
                commune.name,
                commune.referrals,
                sum(counts[s] for s in STATUSES if s not in (*CLOSED_OR_GONE, "disbursed")),
                counts["disbursed"],
                sum(counts[s] for s in CLOSED_OR_GONE),
                commune.lists_sent,
            )
        )
    totals = figures.by_status
    rows.append(
        (
            "",
            W.TOTAL,
            figures.referrals,
            sum(totals[s] for s in STATUSES if s not in (*CLOSED_OR_GONE, "disbursed")),
            totals["disbursed"],
            sum(totals[s] for s in CLOSED_OR_GONE),
            figures.lists_sent,
        )
    )
    _table(
        document, W.BY_COMMUNE_CAPTION, W.COMMUNE_HEADERS, rows, (12, 53, 20, 20, 20, 20, 20), bold_last=True
    )

    # 2. time to first contact
    _heading(document, W.CONTACT_HEADING)
    contact = figures.contact
    if contact.count:
        _body(
            document,
            W.CONTACT_TEXT.format(
                reached=contact.count,
                median=_days(contact.median_days),
                p90=_days(contact.p90_days),
                waiting=contact.waiting,
            ),
        )
    else:
        _body(document, W.CONTACT_NONE.format(waiting=contact.waiting))

    # 3. lists
    _heading(document, W.LISTS_HEADING)
    _body(document, W.LISTS_TEXT.format(lists=figures.lists_sent))

    # 4. loans
    _heading(document, W.LOANS_HEADING)
    persons, businesses = figures.persons, figures.businesses
    _body(
        document,
        W.LOANS_TEXT.format(
            approved=persons.approved,
            approved_amount=W.money(persons.approved_amount),
            disbursed=persons.disbursed,
            disbursed_amount=W.money(persons.disbursed_amount),
            b_approved=businesses.approved,
            b_disbursed=businesses.disbursed,
        ),
    )
    _table(
        document,
        W.LOANS_CAPTION,
        W.LOANS_HEADERS,
        [
            (
                W.PERSONS,
                persons.approved,
                persons.approved_amount,
                persons.disbursed,
                persons.disbursed_amount,
            ),
            (
                W.BUSINESSES,
                businesses.approved,
                businesses.approved_amount,
                businesses.disbursed,
                businesses.disbursed_amount,
            ),
        ],
        (45, 27, 33, 27, 33),
    )

    # 5. targets
    year = figures.period.year
    _heading(document, W.TARGETS_HEADING.format(year=year))
    person = next((t for t in figures.targets.targets if t.borrower == "person"), None)
    _body(
        document,
        W.TARGETS_TEXT.format(
            what=person.what if person else "",
            met=figures.targets_met,
            communes=len(figures.communes),
            without=len(figures.without_case),
        ),
    )
    for target in figures.targets.targets:
        if target.borrower == "business" and target.units:
            unit = target.units[0] if len(target.units) == 1 else None
            disbursed = unit.disbursed if unit else sum(u.disbursed for u in target.units)
            _body(
                document,
                W.BUSINESS_TARGET.format(
                    unit=target.unit if unit is None else W.lower_kind(unit.name),
                    disbursed=disbursed,
                    minimum=target.minimum * len(target.units),
                    unconfirmed="" if target.confirmed else W.UNCONFIRMED,
                ),
            )
    _picture(
        document,
        charts.met_pie(
            W.TARGETS_CHART.format(year=year),
            figures.targets_met,
            len(figures.communes) - figures.targets_met,
            W.MET,
            W.NOT_MET,
        ),
        65,
    )
    active = sorted(
        (c for c in figures.communes if c.year_disbursed or c.referrals),
        key=lambda c: (-c.year_disbursed, -c.referrals, c.name),
    )[:BAR_COMMUNES]
    if active:
        _picture(
            document,
            charts.horizontal_bars(
                W.TARGETS_BARS.format(year=year),
                [charts.Bar(c.name, c.year_disbursed, c.target) for c in active],
                W.DISBURSED_YEAR,
                W.TARGET,
            ),
        )

    # 6. transfers
    _heading(document, W.TRANSFERS_HEADING)
    paired = [t for t in figures.transfers if t.to_code]
    unpaired = [t for t in figures.transfers if not t.to_code]
    if paired:
        _body(document, W.TRANSFERS_TEXT)
        _table(
            document,
            None,
            W.TRANSFERS_HEADERS,
            [
                (index, f"{t.from_name} ({t.from_code})", f"{t.to_name} ({t.to_code})")
                for index, t in enumerate(paired, start=1)
            ],
            (15, 75, 75),
        )
    if unpaired:
        # Listed by name in the XLSX; the annex shows every commune's progress.
        _body(document, W.TRANSFERS_UNPAIRED.format(count=len(unpaired)))
    if not figures.transfers:
        _body(document, W.TRANSFERS_NONE)
    rule = _body(document)
    run = rule.add_run(W.TRANSFERS_RULE.format(rule=figures.targets.transfer_rule.strip()))
    run.italic = True


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def _signature(document: DocxDocument, figures: ReportFigures) -> None:

    province = W.lower_kind(figures.scope.province_name)
    _paragraph(document, after=6)
    table = document.add_table(rows=1, cols=2)
    _widths(table, (80, 85))
    left, right = table.rows[0].cells
    _cell_text(left, W.RECIPIENTS, bold=True, italic=True, size=12, align="left")
    first = W.RECIPIENT_PROVINCE if figures.scope.whole_province else W.RECIPIENT_PC10
    for line in (first.format(province=province), W.RECIPIENT_OTHER, W.RECIPIENT_ARCHIVE):
        _cell_text(left, line, size=11, align="left")
    _cell_text(right, W.SIGNER_TITLE, bold=True, size=13)
    _cell_text(right, W.SIGNER_SIGN, italic=True, size=13, after=60)
    _cell_text(right, W.SIGNER_NAME, bold=True, size=14)


def _annex(document: DocxDocument, figures: ReportFigures) -> None:
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, W.ANNEX, bold=True, align="center", after=0)
    _paragraph(document, W.ANNEX_TITLE.format(year=figures.period.year), bold=True, align="center", after=6)
    rows = [
        (
            index,
            c.code,
            c.name,
            "" if c.target is None else c.target,
            c.year_disbursed,
            "" if c.met is None else (W.MET if c.met else W.NOT_MET),
        )
        for index, c in enumerate(figures.communes, start=1)
    ]
    _table(document, None, W.ANNEX_HEADERS, rows, (12, 18, 60, 22, 30, 23))
