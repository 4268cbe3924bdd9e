"""Who hears about a lead, and in what words: officers, bank staff, the person, agency webhooks.

Everything here only writes outbox rows inside the caller's transaction; the dispatcher sends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from babel.numbers import format_decimal
from sqlalchemy import and_, bindparam, or_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from api.channels import CHAT_CHANNELS
from api.lifecycle import next_statuses
from api.models import Account, AccountCommune, Lead, LeadEvent, Webhook
from api.outbox import store
from api.roles import Role
from api.services import business
from api.wards import ward_name
from content.catalog import get_content
from contract.buttons import lead_button


def _accounts_of_commune(session: Session, commune_code: str, roles: set[Role]) -> list[Account]:
    rows = session.exec(
        select(Account)
        .join(AccountCommune, col(AccountCommune.account_id) == col(Account.id))
        .where(
            AccountCommune.commune_code == commune_code,
            Account.active,
            col(Account.role).in_([r.value for r in roles]),
        )
    ).all()
    return list(rows)


@dataclass(frozen=True)
class Recipient:
    account_id: int
    chat_id: str | None
    lang: str


@dataclass
class Watchers:
    """Who hears about new leads in some communes: their officers, the province-wide accounts
    (coordinator, admin), and the active webhooks of all of them as (webhook id, account id).
    `authors`: which of the accounts asked about (the leads' authors) are still active."""

    officers: dict[str, list[Recipient]] = field(default_factory=dict)
    province: set[int] = field(default_factory=set)
    hooks: dict[int, int] = field(default_factory=dict)
    authors: set[int] = field(default_factory=set)


# Built once: this runs for every group-committed batch of new leads, and building a statement
# costs more than running it. One query: each watching account, once per matching commune link
# and once per active webhook, plus the batch's authors (so a revoked one is caught in the same
# round trip).
_ACCOUNT = Account.__table__.c  # type: ignore[attr-defined]
_LINK = AccountCommune.__table__.c  # type: ignore[attr-defined]
_HOOK = Webhook.__table__.c  # type: ignore[attr-defined]
_PROVINCE_ROLES = [Role.COORDINATOR.value, Role.ADMIN.value]
_WATCHERS = (
    sa_select(
        _ACCOUNT.id, _ACCOUNT.role, _ACCOUNT.telegram_chat_id, _ACCOUNT.lang, _LINK.commune_code, _HOOK.id
    )
    .select_from(Account.__table__)  # type: ignore[attr-defined]
    .outerjoin(
        AccountCommune.__table__,  # type: ignore[attr-defined]
        and_(_LINK.account_id == _ACCOUNT.id, _LINK.commune_code.in_(bindparam("codes", expanding=True))),
    )
    .outerjoin(Webhook.__table__, and_(_HOOK.account_id == _ACCOUNT.id, _HOOK.active))  # type: ignore[attr-defined]
    .where(
        _ACCOUNT.active,
        or_(
            _ACCOUNT.role.in_(_PROVINCE_ROLES),
            and_(_ACCOUNT.role == Role.COMMUNE_POLICE.value, _LINK.commune_code.is_not(None)),
            _ACCOUNT.id.in_(bindparam("authors", expanding=True)),
        ),
    )
    .order_by(_ACCOUNT.id, _HOOK.id)
)


def watchers_of(conn: Connection, commune_codes: set[str], authors: set[int] | None = None) -> Watchers:
    found = Watchers()
    params = {"codes": sorted(commune_codes), "authors": sorted(authors or ())}
    for account_id, role, chat_id, lang, commune_code, hook_id in conn.execute(_WATCHERS, params):
        if authors and account_id in authors:
            found.authors.add(account_id)
        if role in _PROVINCE_ROLES:
            found.province.add(account_id)
        elif role == Role.COMMUNE_POLICE.value and commune_code is not None:
            officers = found.officers.setdefault(commune_code, [])
            if not officers or officers[-1].account_id != account_id:
                officers.append(Recipient(account_id, chat_id, lang))
        else:
            continue  # an author that watches nothing (the bot)
        if hook_id is not None:
            found.hooks[hook_id] = account_id
    return found


def _province_accounts(session: Session, roles: set[Role]) -> list[Account]:
    return list(
        session.exec(
            select(Account).where(Account.active, col(Account.role).in_([r.value for r in roles]))
        ).all()
    )


def outcome_label(outcome: str, lang: str) -> str:
    outcomes = get_content().screening.outcomes
    return outcomes[outcome].label.get(lang) if outcome in outcomes else outcome


def officer_buttons(lead: Lead, lang: str) -> list[list[dict[str, str]]]:
    labels = get_content().leads.status_labels
    view = {"vi": "Xem hồ sơ", "en": "View", "km": "មើល"}.get(lang, "Xem hồ sơ")
    rows = [[{"text": view, "callback_data": lead_button(lead.id, "view")}]]
    for status in next_statuses(lead.status, lead.applicant):
        if status in ("withdrawn", "declined"):
            continue
        label = "→ " + labels[status].get(lang)
        rows.append([{"text": label, "callback_data": lead_button(lead.id, status)}])
    decline = labels["declined"].get(lang)
    rows.append([{"text": "✗ " + decline, "callback_data": lead_button(lead.id, "declined")}])
    return rows


def _event(lead: Lead, event: str) -> dict[str, object]:
    # Webhook events carry no personal data: receivers fetch the lead through the (audited) API.
    return {
        "event": event,
        "lead_id": lead.id,
        "reference": lead.reference,
        "status": lead.status,
        "commune_code": lead.commune_code,
    }


def leads_created(conn: Connection, leads: Sequence[Lead], watchers: Watchers | None = None) -> None:
    """Tell each new lead's commune officers (Telegram) and the watchers' webhooks. One query for a
    whole batch (or none, when the caller looked the watchers up already), so group-committed
    intake stays cheap."""
    words = get_content().leads
    if watchers is None:
        watchers = watchers_of(conn, {lead.commune_code for lead in leads})
    deliveries: list[store.Delivery] = []
    businesses = [lead for lead in leads if lead.applicant == "business"]
    if businesses:
        # NHCSXH lends to a business directly: its bank hears at once, the commune police never.
        deliveries += business.bank_hears_new(conn, businesses)
    for lead in leads:
        commune = ward_name(lead.commune_code) or lead.commune_code
        officers = [] if lead.applicant == "business" else watchers.officers.get(lead.commune_code, [])
        for officer in officers:
            if officer.chat_id:
                outcome = outcome_label(lead.outcome, officer.lang)
                text = words.officer_new_lead.get(officer.lang).format(
                    reference=lead.reference, commune=commune, outcome=outcome
                )
                deliveries.append(
                    store.telegram_delivery(
                        chat_id=officer.chat_id,
                        text=text,
                        purpose="lead_new",
                        dedupe_key=f"lead:{lead.id}:new:acct{officer.account_id}",
                        buttons=officer_buttons(lead, officer.lang),
                    )
                )
        told = watchers.province | {o.account_id for o in officers}
        event = _event(lead, "lead.created")
        deliveries.extend(
            store.webhook_delivery(hook_id, event, f"lead:{lead.id}:created")
            for hook_id, account_id in watchers.hooks.items()
            if account_id in told
        )
    store.enqueue_new(conn, deliveries)


def money(amount: int, lang: str) -> str:
    """An amount as the content writes money ("50.000.000 đồng", "50,000,000 VND")."""
    template = get_content().screening.money.loan
    return template.get(lang).format(amount=format_decimal(amount, locale=lang))


def _officers_hear_decision(session: Session, lead: Lead, event_id: int) -> None:
    """The bank decided: the commune's officers hear it in their linked chat (the loop closed)."""
    words = get_content().leads
    template = words.officer_bank_decision.get(lead.status)
    if template is None:
        return
    commune = ward_name(lead.commune_code) or lead.commune_code
    for officer in _accounts_of_commune(session, lead.commune_code, {Role.COMMUNE_POLICE}):
        if not officer.telegram_chat_id:
            continue
        lang = officer.lang
        amount = lead.disbursed_amount if lead.status == "disbursed" else lead.approved_amount
        store.telegram_message(
            session,
            chat_id=officer.telegram_chat_id,
            purpose="bank_decision",
            text=template.get(lang).format(
                reference=lead.reference,
                commune=commune,
                amount=money(amount, lang) if amount is not None else "",
                date=lead.disbursed_on.strftime("%d/%m/%Y") if lead.disbursed_on else "",
                reason=words.decline_reason(lead.decline_reason).label.get(lang),
            ),
            dedupe_key=f"lead:{lead.id}:ev{event_id}:officer{officer.id}",
            buttons=[[{"text": _VIEW.get(lang, _VIEW["vi"]), "callback_data": lead_button(lead.id, "view")}]],
        )


_VIEW = {"vi": "Xem hồ sơ", "en": "View", "km": "មើល"}


def transferred(session: Session, lead: Lead, event_id: int) -> None:
    """A referral was handed to another commune (already set on `lead`): its officers hear it as of a
    new referral, the person discreetly, the watchers' webhooks as a status event."""
    words = get_content().leads
    commune = ward_name(lead.commune_code) or lead.commune_code
    event = session.get(LeadEvent, event_id)
    old = str((event.details or {}).get("from_commune", "")) if event else ""
    from_commune = ward_name(old) or old
    officers = _accounts_of_commune(session, lead.commune_code, {Role.COMMUNE_POLICE})
    for officer in officers:
        if officer.telegram_chat_id:
            store.telegram_message(
                session,
                chat_id=officer.telegram_chat_id,
                purpose="lead_new",
                text=words.officer_transferred_lead.get(officer.lang).format(
                    reference=lead.reference, from_commune=from_commune, commune=commune
                ),
                dedupe_key=f"lead:{lead.id}:ev{event_id}:acct{officer.id}",
                buttons=officer_buttons(lead, officer.lang),
            )
    if lead.channel in CHAT_CHANNELS and lead.channel_user:
        store.telegram_message(
            session,
            chat_id=lead.channel_user,
            purpose="status_update",
            text=words.person_transferred.get(lead.lang).format(reference=lead.reference, commune=commune),
            dedupe_key=f"lead:{lead.id}:ev{event_id}:person",
        )
    watchers = officers + _province_accounts(session, {Role.COORDINATOR, Role.ADMIN})
    store.webhook_event(
        session,
        account_ids=[a.id for a in watchers if a.id is not None],
        event=_event(lead, "lead.transferred"),
        dedupe_key=f"lead:{lead.id}:ev{event_id}",
    )


def status_changed(session: Session, lead: Lead, event_id: int, by_role: Role | None = None) -> None:
    words = get_content().leads
    if lead.applicant == "business":
        business.status_changed(session, lead, event_id)
        return
    if by_role is Role.BANK:
        _officers_hear_decision(session, lead, event_id)
    update = words.person_updates.get(lead.status)
    if update is not None and lead.channel in CHAT_CHANNELS and lead.channel_user:
        # A declined person is told the actual reason and what would change it (discreet texts);
        # never the officer's free-text note.
        reason = words.decline_reason(lead.decline_reason)
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
    bank_accounts: list[Account] = []
    if lead.consent_bank and lead.listed_at is not None:
        bank_accounts = _accounts_of_commune(session, lead.commune_code, {Role.BANK})
        if lead.status == "listed":
            commune = ward_name(lead.commune_code) or lead.commune_code
            for banker in bank_accounts:
                if banker.telegram_chat_id:
                    store.telegram_message(
                        session,
                        chat_id=banker.telegram_chat_id,
                        purpose="lead_listed",
                        text=words.bank_new_lead.get(banker.lang).format(
                            reference=lead.reference, commune=commune
                        ),
                        dedupe_key=f"lead:{lead.id}:ev{event_id}:bank{banker.id}",
                        buttons=[[{"text": "Xem hồ sơ", "callback_data": lead_button(lead.id, "view")}]],
                    )
    watchers = (
        _accounts_of_commune(session, lead.commune_code, {Role.COMMUNE_POLICE})
        + bank_accounts
        + _province_accounts(session, {Role.COORDINATOR, Role.ADMIN})
    )
    store.webhook_event(
        session,
        account_ids=[a.id for a in watchers if a.id is not None],
        event=_event(lead, "lead.status_changed"),
        dedupe_key=f"lead:{lead.id}:ev{event_id}",
    )
