"""A business's referral (issue 18): who hears about it, and in what words.

Decision 22 (Điều 4) has NHCSXH lend to a production or business establishment directly; its loan plan
is confirmed by UBND cấp xã where the plan is carried out (Mẫu số 02). So a business's lead goes to the
bank accounts serving that commune at once (it was only sent with the bank's consent), never to the
commune police (their Mẫu 01 list is for persons), and its steps are the bank's
(`api.lifecycle.BUSINESS_FORWARD`). Only outbox rows are written here, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from api.lifecycle import next_statuses
from api.models import Account, AccountCommune, Lead
from api.outbox import store
from api.roles import Role
from api.wards import ward_name
from content.catalog import get_content
from contract.buttons import lead_button

BUSINESS = "business"
_VIEW = {"vi": "Xem hồ sơ", "en": "View", "km": "មើល"}

_ACCOUNT = Account.__table__.c  # type: ignore[attr-defined]
_LINK = AccountCommune.__table__.c  # type: ignore[attr-defined]
_BANKERS = (
    sa_select(_ACCOUNT.id, _ACCOUNT.telegram_chat_id, _ACCOUNT.lang, _LINK.commune_code)
    .select_from(Account.__table__)  # type: ignore[attr-defined]
    .join(AccountCommune.__table__, _LINK.account_id == _ACCOUNT.id)  # type: ignore[attr-defined]
    .where(
        and_(
            _ACCOUNT.active,
            _ACCOUNT.role == Role.BANK.value,
            _LINK.commune_code.in_(bindparam("codes", expanding=True)),
        )
    )
    .order_by(_ACCOUNT.id)
)


def bank_buttons(lead: Lead, lang: str) -> list[list[dict[str, str]]]:
    """View, the next step of the business's path, decline: the bank's buttons in its linked chat."""
    labels = get_content().leads.status_labels
    rows = [[{"text": _VIEW.get(lang, _VIEW["vi"]), "callback_data": lead_button(lead.id, "view")}]]
    for status in next_statuses(lead.status, BUSINESS):
        if status in ("withdrawn", "declined"):
            continue
        label = "→ " + labels[status].get(lang)
        rows.append([{"text": label, "callback_data": lead_button(lead.id, status)}])
    if lead.status not in ("disbursed", "declined", "withdrawn"):
        decline = labels["declined"].get(lang)
        rows.append([{"text": "✗ " + decline, "callback_data": lead_button(lead.id, "declined")}])
    return rows


def bank_hears_new(conn: Connection, leads: Sequence[Lead]) -> list[store.Delivery]:
    """New business leads: a message with buttons to each linked bank account of the plan's commune."""
    words = get_content().leads.business
    codes = sorted({lead.commune_code for lead in leads if lead.consent_bank})
    if not codes:
        return []
    bankers: dict[str, list[tuple[int, str, str]]] = {}
    for account_id, chat_id, lang, code in conn.execute(_BANKERS, {"codes": codes}):
        if chat_id:
            bankers.setdefault(code, []).append((account_id, chat_id, lang))
    deliveries: list[store.Delivery] = []
    for lead in leads:
        if not lead.consent_bank:
            continue
        commune = ward_name(lead.commune_code) or lead.commune_code
        for account_id, chat_id, lang in bankers.get(lead.commune_code, []):
            deliveries.append(
                store.telegram_delivery(
                    chat_id=chat_id,
                    text=words.bank_new_lead.get(lang).format(reference=lead.reference, commune=commune),
                    purpose="lead_new",
                    dedupe_key=f"lead:{lead.id}:new:acct{account_id}",
                    buttons=bank_buttons(lead, lang),
                )
            )
    return deliveries


def _bankers_of(session: Session, commune_code: str) -> list[Account]:
    return list(
        session.exec(
            select(Account)
            .join(AccountCommune, col(AccountCommune.account_id) == col(Account.id))
            .where(
                AccountCommune.commune_code == commune_code,
                Account.active,
                Account.role == Role.BANK.value,
            )
        ).all()
    )


def status_changed(session: Session, lead: Lead, event_id: int) -> None:
    """A step of a business's path: the business hears it in its own (discreet) words; the bank's
    and the province's webhooks get the event. The commune police hear nothing of it."""
    content = get_content().leads
    update = content.business.updates.get(lead.status)
    if update is not None and lead.channel == "telegram" and lead.channel_user:
        reason = content.decline_reason(lead.decline_reason)
        store.telegram_message(
            session,
            chat_id=lead.channel_user,
            purpose="status_update",
            text=update.get(lead.lang).format(
                reference=lead.reference,
                reason=reason.person.get(lead.lang),
                remedy=reason.remedy.get(lead.lang),
            ),
            dedupe_key=f"lead:{lead.id}:ev{event_id}:person",
        )
    province = session.exec(
        select(Account).where(
            Account.active, col(Account.role).in_([Role.COORDINATOR.value, Role.ADMIN.value])
        )
    ).all()
    watchers = [*_bankers_of(session, lead.commune_code), *province]
    store.webhook_event(
        session,
        account_ids=[a.id for a in watchers if a.id is not None],
        event={
            "event": "lead.status_changed",
            "lead_id": lead.id,
            "reference": lead.reference,
            "status": lead.status,
            "commune_code": lead.commune_code,
        },
        dedupe_key=f"lead:{lead.id}:ev{event_id}",
    )
