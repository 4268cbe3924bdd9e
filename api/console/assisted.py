"""Assisted intake (issue 19): an officer screens a person who cannot use the bot (in prison, no
phone) in the console, and makes the referral for them with the consent the person signed on paper.

The form is read here into the bot's own answer set and a `LeadCreate`, so the screening
(`api.services.screening`) and the write (`leads.create_leads`) are the ones every bot referral
goes through: the lead is the same shape, only its channel ("assisted") and history differ.
Messages are console message ids (Vietnamese), translated where they are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from api.actor import Actor
from api.console.i18n import T_
from api.models import Lead, LeadEvent, utcnow
from api.schemas import Consent, Contact, LeadCreate, refuse_control_characters
from api.services import leads, notify
from api.services.screening import screen_by_field
from api.wards import normalise_code, ward_exists, ward_name, ward_province
from content.catalog import get_content
from content.screening.schema import Question
from content.vn_phone import normalise_mobile

CHANNEL = "assisted"
PAPER_CONSENT = "paper_consent"  # the reason of the history entry that records the signed form
REFERABLE = ("likely_eligible", "needs_review")  # "eligible or maybe"
# Answers the form asks itself (or never): who applies, the day, the commune, the release date.
OWN_FIELDS = ("applicant", "as_of", "commune_code", "release_date")
MAX_NAME = 200
MAX_REF = 50
_DAY = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def questions() -> list[Question]:
    """The bot's person questionnaire, minus what the form asks in its own way."""
    return [
        q
        for q in get_content().screening.questions
        if q.applicant == "person" and q.asked and q.id not in OWN_FIELDS
    ]


def release_question() -> Question:
    return next(
        q for q in get_content().screening.questions if q.id == "release_date" and q.applicant == "person"
    )


@dataclass
class Checked:
    """The form read: what is wrong (field → message id), or the lead to create."""

    form: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    # Screening's own messages (already in the console's language), by field.
    screening_errors: dict[str, str] = field(default_factory=dict)
    screening: dict[str, Any] = field(default_factory=dict)
    body: LeadCreate | None = None
    paper: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.screening_errors and self.body is not None

    @property
    def referable(self) -> bool:
        return self.ok and self.screening.get("outcome") in REFERABLE


def parse_day(text: str) -> date | None:
    match = _DAY.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _release(text: str) -> str | None:
    """dd/mm/yyyy (or mm/yyyy, as the bot takes a month) → the bot's YYYY-MM-DD / YYYY-MM."""
    day = parse_day(text)
    if day is not None:
        return day.isoformat()
    match = _MONTH.match(text)
    if match and 1 <= int(match.group(1)) <= 12:
        return f"{int(match.group(2)):04d}-{int(match.group(1)):02d}"
    return None


def _clean(form: dict[str, str], name: str, limit: int) -> str:
    value = " ".join(form.get(name, "").split())
    return value[:limit]


def check(form: dict[str, str], actor: Actor, province: int, today: date, lang: str) -> Checked:
    """Every problem at once (the officer fixes them in one go), then the screening."""
    kept = {k: v[:400] for k, v in form.items()}
    out = Checked(kept)
    errors = out.errors
    for name, value in kept.items():
        try:
            refuse_control_characters(value)
        except ValueError:
            errors[name] = T_("Ô này có ký tự không hợp lệ.")

    name = _clean(kept, "name", 1000)
    if not name:
        errors.setdefault("name", T_("Bạn ghi họ và tên của người được hỗ trợ."))
    elif len(name) > MAX_NAME:
        errors.setdefault("name", T_("Họ và tên dài quá (tối đa 200 ký tự)."))
    phone = normalise_mobile(kept.get("phone", ""))
    if phone is None:
        errors.setdefault(
            "phone", T_("Số điện thoại di động chưa đúng: 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.")
        )
    code = normalise_code(kept.get("commune_code", ""))
    if not code:
        errors.setdefault("commune_code", T_("Bạn chọn xã/phường nơi người đó sẽ sinh sống."))
    elif not ward_exists(code) or ward_province(code) != province:
        errors.setdefault("commune_code", T_("Mã xã/phường không thuộc tỉnh này."))
    elif actor.communes and code not in actor.communes:
        errors.setdefault("commune_code", T_("Tài khoản của bạn chỉ lập hồ sơ cho các xã/phường được giao."))

    answers: dict[str, Any] = {}
    for question in questions():
        value = kept.get(question.id, "").strip()
        if value:
            answers[question.id] = value
    released = kept.get("release_date", "").strip()
    if released:
        iso = _release(released)
        if iso is None:
            errors.setdefault(
                "release_date", T_("Ngày chưa đúng: ghi theo dạng ngày/tháng/năm, ví dụ 15/01/2025.")
            )
        else:
            answers["release_date"] = iso

    signed_by = _clean(kept, "signed_by", 1000)
    if not signed_by:
        errors.setdefault("signed_by", T_("Bạn ghi tên người đã ký giấy đồng ý."))
    elif len(signed_by) > MAX_NAME:
        errors.setdefault("signed_by", T_("Tên dài quá (tối đa 200 ký tự)."))
    signed_on = parse_day(kept.get("signed_on", ""))
    if signed_on is None:
        errors.setdefault("signed_on", T_("Ngày chưa đúng: ghi theo dạng ngày/tháng/năm, ví dụ 15/01/2025."))
    elif signed_on > today:
        errors.setdefault("signed_on", T_("Ngày ký không thể sau hôm nay."))
    form_ref = _clean(kept, "form_ref", 1000)
    if not form_ref:
        errors.setdefault("form_ref", T_("Bạn ghi số hoặc mã của tờ giấy đồng ý đã ký."))
    elif len(form_ref) > MAX_REF:
        errors.setdefault("form_ref", T_("Số giấy dài quá (tối đa 50 ký tự)."))
    police = kept.get("consent_police") == "yes"
    bank = kept.get("consent_bank") == "yes"
    if not police:
        errors.setdefault(
            "consent_police", T_("Hồ sơ chỉ gửi được khi người đó đã ký đồng ý gửi cho Công an xã/phường.")
        )

    result, problems = screen_by_field("person", answers, lang)
    for key, message in problems.items():
        out.screening_errors[key if key in kept or key == "release_date" else "answers"] = message
    out.screening = result
    if errors or problems or phone is None:
        return out
    out.paper = {
        "signed_by": signed_by,
        "signed_on": signed_on.isoformat() if signed_on else "",
        "form_ref": form_ref,
    }
    try:
        out.body = LeadCreate(
            applicant="person",
            answers=answers,
            contact=Contact(name=name, phone=phone),
            commune_code=code,
            consent=Consent(police=police, bank=bank, text_version=f"paper:{form_ref}"[:64]),
            channel=CHANNEL,
            channel_user=channel_user(phone),
            lang="vi",
            idempotency_key=f"assisted:{actor.id}:{_form_id(kept)}",
        )
    except ValidationError:  # every rule above is the model's too; this is a last guard, never a 500
        errors["answers"] = T_("Hồ sơ chưa hợp lệ. Bạn kiểm tra lại các ô rồi làm lại nhé.")
    return out


def channel_user(phone: str) -> str:
    """The person's identity for the assisted channel: the phone in international form."""
    return "phone:84" + phone[1:]


def _form_id(form: dict[str, str]) -> str:
    # One form (its hidden id, made when the page was opened) makes one referral: a second press
    # of the button, or the back button and submit again, answers with the same lead.
    value = "".join(c for c in form.get("form_id", "") if c.isalnum())[:40]
    return value or "none"


def create(engine: Engine, actor: Actor, checked: Checked) -> tuple[Lead, bool]:
    """The referral, through the bot's own write (`leads.create_leads`), and the paper consent in
    its history, in one transaction."""
    assert checked.body is not None and checked.referable
    item = leads.NewLead(actor, checked.body, checked.screening)
    with engine.connect() as conn:
        watchers = notify.watchers_of(conn, {checked.body.commune_code}, {actor.id})
        [(lead, created)] = leads.create_leads(conn, [item], watchers)
        if created:
            paper = checked.paper
            conn.execute(
                insert(LeadEvent.__table__),  # type: ignore[attr-defined]
                [
                    {
                        "lead_id": lead.id,
                        "at": utcnow(),
                        "actor_account_id": actor.id,
                        "from_status": "new",
                        "to_status": "new",
                        "reason": PAPER_CONSENT,
                        "note": paper_note(paper),
                        "details": {
                            **paper,
                            "police": checked.body.consent.police,
                            "bank": checked.body.consent.bank,
                        },
                    }
                ],
            )
        conn.commit()
    return lead, created


def paper_note(paper: dict[str, str]) -> str:
    signed = date.fromisoformat(paper["signed_on"]).strftime("%d/%m/%Y")
    return f"Đồng ý trên giấy: số {paper['form_ref']}, người ký {paper['signed_by']}, ngày {signed}"


def commune_label(code: str) -> str:
    return f"{ward_name(code) or code} ({code})"
