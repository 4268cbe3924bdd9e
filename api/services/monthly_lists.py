"""The monthly list (Mẫu số 01) as a record: a commune's list for a period is prepared from the
referrals marked listed since its last sent list, frozen when sent, and versioned.

Period `YYYY-MM` is the list the reminder due on the 5th of that month asks for (content deadlines,
`monthly_list`). Which referrals belong to it is not a calendar month: a person referral the commune
marked listed (consent to the bank, still on its way) that no sent list of another period holds.
Once a period has been sent, referrals listed after its first send belong to the next period; a new
version of the period keeps its people still on their way, and says who left and why.
Business referrals never appear: Mẫu số 01 lists people (a business uses Mẫu số 02).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from api.actor import Actor
from api.lifecycle import TransitionError
from api.models import Account, AccountCommune, Lead, MonthlyList, MonthlyListScan
from api.outbox import store
from api.roles import Role
from api.schemas import StatusChange
from api.services import audit
from api.services import leads as lead_service
from api.wards import ward_name
from content.catalog import get_content

ON_THE_LIST = ("listed", "sent_to_bank", "approved", "disbursed")
PERIOD = re.compile(r"^20\d{2}-(0[1-9]|1[0-2])$")
SCAN_MAX_BYTES = 4 * 1024 * 1024
SCAN_TYPES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
# The fields of a frozen row: what the list shows of a person at send time (language-free values;
# the layout in content/ turns them into columns).
ROW_FIELDS = (
    "lead_id",
    "reference",
    "full_name",
    "birth_year",
    "gender",
    "address",
    "release_date",
    "purpose",
    "amount",
    "status",
)
# The fields the officer completes before sending (the bot does not ask for them).
TO_COMPLETE = ("birth_year", "gender", "address")


class ListError(TransitionError):
    """A refused step on a list: status and message (English, for the API; the console words its own)."""


def check_period(period: str) -> str:
    if not PERIOD.match(period):
        raise ListError(422, "period: YYYY-MM (2000-2099)")
    return period


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def snapshot_row(lead: Lead) -> dict[str, Any]:
    extra = lead.contact_extra or {}
    answers = lead.answers or {}
    return {
        "lead_id": lead.id,
        "reference": lead.reference,
        "full_name": lead.contact_name or "",
        "birth_year": extra.get("birth_year"),
        "gender": extra.get("gender"),
        "address": extra.get("address"),
        "release_date": extra.get("release_date") or answers.get("release_date"),
        "purpose": answers.get("purpose"),
        "amount": answers.get("amount") if isinstance(answers.get("amount"), int) else None,
        "status": lead.status,
    }


def missing(row: dict[str, Any]) -> list[str]:
    return [name for name in TO_COMPLETE if not row.get(name)]


def versions(session: Session, commune_code: str, period: str | None = None) -> list[MonthlyList]:
    query = select(MonthlyList).where(MonthlyList.commune_code == commune_code)
    if period is not None:
        query = query.where(MonthlyList.period == period)
    return list(session.exec(query.order_by(col(MonthlyList.period), col(MonthlyList.version))).all())


def latest(session: Session, commune_code: str, period: str) -> MonthlyList | None:
    return session.exec(
        select(MonthlyList)
        .where(MonthlyList.commune_code == commune_code, MonthlyList.period == period)
        .order_by(col(MonthlyList.version).desc())
    ).first()


def draft_leads(session: Session, commune_code: str, period: str) -> list[Lead]:
    """The people the period's list would hold if sent now (see the module's rule)."""
    sent = versions(session, commune_code)
    elsewhere = {row["lead_id"] for v in sent if v.period != period for row in v.rows}
    this = [v for v in sent if v.period == period]
    kept = {row["lead_id"] for row in this[-1].rows} if this else set()
    first_send = _aware(this[0].sent_at) if this else None
    candidates = session.exec(
        select(Lead)
        .where(
            Lead.commune_code == commune_code,
            Lead.applicant == "person",
            col(Lead.consent_bank),
            col(Lead.listed_at).is_not(None),
            col(Lead.status).in_(ON_THE_LIST),
            col(Lead.anonymised_at).is_(None),
        )
        .order_by(col(Lead.listed_at), col(Lead.id))
    ).all()
    found = []
    for lead in candidates:
        if lead.id in kept or (
            lead.id not in elsewhere
            and (first_send is None or lead.listed_at is None or _aware(lead.listed_at) <= first_send)
        ):
            found.append(lead)
    return found


def addressee(commune_code: str) -> str:
    offices = get_content().offices.for_commune(commune_code)
    if offices:
        return "; ".join(office.name.get("vi") for office in offices)[:300]
    return get_content().monthly_list.document.addressee_unknown.get("vi")


@dataclass
class Confirmation:
    confirmed_by: str | None = None
    confirmed_on: date | None = None
    scan_id: int | None = None

    @property
    def given(self) -> bool:
        return bool(self.confirmed_by or self.scan_id)


@dataclass
class SendResult:
    version: MonthlyList
    chats: int
    changes: dict[str, Any] = field(default_factory=dict)


def _changes(
    session: Session, previous: MonthlyList | None, rows: list[dict[str, Any]], confirmation: Confirmation
) -> dict[str, Any]:
    if previous is None:
        return {}
    before = {row["lead_id"]: row for row in previous.rows}
    after = {row["lead_id"]: row for row in rows}
    changed = []
    for lead_id, row in after.items():
        old = before.get(lead_id)
        if old is not None:
            fields = [f for f in ROW_FIELDS if f != "status" and old.get(f) != row.get(f)]
            if fields:
                changed.append({"reference": row["reference"], "fields": fields})
    return {
        "added": [after[i]["reference"] for i in after if i not in before],
        # Who left the list, with where their referral is now (declined by the bank, withdrawn...).
        "removed": [_left(session, before[i]) for i in before if i not in after],
        "changed": changed,
        "confirmation_added": confirmation.given
        and previous.confirmed_by is None
        and previous.scan_id is None,
    }


def _left(session: Session, row: dict[str, Any]) -> dict[str, Any]:
    lead = session.get(Lead, row["lead_id"])
    return {
        "reference": row["reference"],
        "status": lead.status if lead else None,
        "reason": lead.decline_reason if lead else None,
    }


def check_confirmation(session: Session, commune_code: str, body: Confirmation, today: date) -> None:
    if body.scan_id is not None:
        scan = session.get(MonthlyListScan, body.scan_id)
        if scan is None or scan.commune_code != commune_code:
            raise ListError(422, "scan_id: no such scan for this commune")
    if body.confirmed_by is not None and not body.confirmed_by.strip():
        raise ListError(422, "confirmed_by: empty")
    if (body.confirmed_by or body.scan_id) and body.confirmed_on is None:
        raise ListError(422, "confirmed_on: the day UBND confirmed the list")
    if body.confirmed_on is not None:
        if not (body.confirmed_by or body.scan_id):
            raise ListError(422, "confirmed_on: needs confirmed_by or scan_id")
        if body.confirmed_on > today:
            raise ListError(422, "confirmed_on: in the future")
        if body.confirmed_on.year < 2023:
            raise ListError(422, "confirmed_on: before Decision 22/2023/QĐ-TTg")


def send(
    session: Session,
    actor: Actor,
    commune_code: str,
    period: str,
    confirmation: Confirmation,
    change_note: str | None,
    now: datetime,
    today: date,
) -> SendResult:
    """Freeze the period's list as a new version and queue it (the PDF) to the bank's linked chats."""
    if actor.role is not Role.COMMUNE_POLICE or commune_code not in actor.communes:
        raise ListError(403, "only the commune's police send its list")
    check_period(period)
    check_confirmation(session, commune_code, confirmation, today)
    leads = draft_leads(session, commune_code, period)
    rows = [snapshot_row(lead) for lead in leads]
    previous = latest(session, commune_code, period)
    if not rows and previous is None:
        raise ListError(422, "the list is empty: no referral is marked listed for this period")
    note = " ".join((change_note or "").split()) or None
    changes = _changes(session, previous, rows, confirmation)
    if previous is not None:
        same_rows = [{k: r.get(k) for k in ROW_FIELDS if k != "status"} for r in previous.rows] == [
            {k: r.get(k) for k in ROW_FIELDS if k != "status"} for r in rows
        ]
        if same_rows and not changes["confirmation_added"]:
            raise ListError(409, f"nothing changed since version {previous.version}")
        if not same_rows and note is None:
            raise ListError(422, "change_note: say what changed and why (a new version of a sent list)")
        if note is None:
            note = "Bổ sung xác nhận của UBND"
    version = MonthlyList(
        commune_code=commune_code,
        period=period,
        version=(previous.version + 1) if previous else 1,
        sent_at=now,
        sent_by=actor.id,
        sent_by_name=actor.account.name[:200],
        addressee=addressee(commune_code),
        rows=rows,
        people=len(rows),
        confirmed_by=(confirmation.confirmed_by or "").strip()[:200] or None,
        confirmed_on=confirmation.confirmed_on,
        scan_id=confirmation.scan_id,
        changes=changes or None,
        change_note=note[:1000] if note else None,
    )
    session.add(version)
    session.flush()
    chats = _tell_bank(session, version)
    audit.record_reads(session, actor, "monthly_list_send", [row["lead_id"] for row in rows])
    session.commit()
    session.refresh(version)
    # Sent on the list is the step "sent to the bank": each referral takes it (timeline, the person
    # told discreetly, webhooks), so the bank decides on it without a step of its own.
    note = f"Danh sách tháng {period}, lần gửi thứ {version.version}"
    for lead in leads:
        if lead.status == "listed":
            lead_service.change_status(
                session, actor, lead, StatusChange(status="sent_to_bank", note=note), now
            )
    session.refresh(version)
    return SendResult(version, chats, changes)


def confirmed(version: MonthlyList) -> bool:
    return bool(version.confirmed_by or version.scan_id)


def _bank_accounts(session: Session, commune_code: str) -> list[Account]:
    return list(
        session.exec(
            select(Account)
            .join(AccountCommune, col(AccountCommune.account_id) == col(Account.id))
            .where(
                AccountCommune.commune_code == commune_code,
                Account.active,
                Account.role == Role.BANK.value,
            )
            .order_by(col(Account.id))
        ).all()
    )


def _tell_bank(session: Session, version: MonthlyList) -> int:
    """The bank office's linked chats get the PDF with a caption (no names in the caption: a locked
    phone may preview it)."""
    from api.services import monthly_list_files  # fpdf2 only when a list is sent or printed

    document = get_content().monthly_list.document
    commune = ward_name(version.commune_code) or version.commune_code
    sent = 0
    files: dict[str, bytes] = {}
    for banker in _bank_accounts(session, version.commune_code):
        if not banker.telegram_chat_id:
            continue
        lang = banker.lang if banker.lang in ("vi", "en", "km") else "vi"
        if lang not in files:
            files[lang] = monthly_list_files.to_pdf(monthly_list_files.from_version(version), lang)
        mark = "" if confirmed(version) else " " + document.unconfirmed.get(lang) + "."
        caption = document.caption.get(lang).format(
            commune=commune, period=version.period, version=version.version, n=version.people, mark=mark
        )
        store.enqueue(
            session,
            store.telegram_document(
                chat_id=banker.telegram_chat_id,
                caption=caption,
                file_name=f"danh-sach-{version.commune_code}-{version.period}-v{version.version}.pdf",
                content=files[lang],
                dedupe_key=f"monthly_list:{version.id}:bank{banker.id}",
                purpose="monthly_list",
            ),
        )
        sent += 1
    return sent


# --- scans ---------------------------------------------------------------------------------------


def sniff(data: bytes) -> str | None:
    for magic, content_type in SCAN_TYPES.items():
        if data.startswith(magic):
            return content_type
    return None


def save_scan(
    session: Session, actor: Actor, commune_code: str, file_name: str, data: bytes, now: datetime
) -> MonthlyListScan:
    if actor.role is not Role.COMMUNE_POLICE or commune_code not in actor.communes:
        raise ListError(403, "only the commune's police upload its list's scan")
    if not data:
        raise ListError(422, "file: empty")
    if len(data) > SCAN_MAX_BYTES:
        raise ListError(413, f"file: over {SCAN_MAX_BYTES} bytes")
    content_type = sniff(data)
    if content_type is None:
        raise ListError(415, "file: a PDF, JPEG or PNG scan")
    scan = MonthlyListScan(
        commune_code=commune_code,
        uploaded_by=actor.id,
        uploaded_at=now,
        file_name=re.sub(r"[^\w.\- ]", "_", file_name)[:200] or "scan",
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    session.add(scan)
    session.commit()
    session.refresh(scan)
    return scan


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
