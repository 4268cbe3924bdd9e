"""Who hears about a lead, and in what words: officers, bank staff, the person, agency webhooks.

Everything here only writes outbox rows inside the caller's transaction; the dispatcher sends them.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.lifecycle import next_statuses
from api.models import Account, AccountCommune, Lead
from api.outbox import store
from api.roles import Role
from api.wards import ward_name
from content.catalog import get_content


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
    rows = [[{"text": view, "callback_data": f"ld|{lead.id}|view"}]]
    for status in next_statuses(lead.status):
        if status in ("withdrawn", "declined"):
            continue
        rows.append([{"text": "→ " + labels[status].get(lang), "callback_data": f"ld|{lead.id}|{status}"}])
    decline = labels["declined"].get(lang)
    rows.append([{"text": "✗ " + decline, "callback_data": f"ld|{lead.id}|declined"}])
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


def lead_created(session: Session, lead: Lead) -> None:
    words = get_content().leads
    commune = ward_name(lead.commune_code) or lead.commune_code
    officers = _accounts_of_commune(session, lead.commune_code, {Role.COMMUNE_POLICE})
    for officer in officers:
        if officer.telegram_chat_id:
            text = words.officer_new_lead.get(officer.lang).format(
                reference=lead.reference, commune=commune, outcome=outcome_label(lead.outcome, officer.lang)
            )
            store.telegram_message(
                session,
                chat_id=officer.telegram_chat_id,
                text=text,
                purpose="lead_new",
                dedupe_key=f"lead:{lead.id}:new:acct{officer.id}",
                buttons=officer_buttons(lead, officer.lang),
            )
    watchers = officers + _province_accounts(session, {Role.COORDINATOR, Role.ADMIN})
    store.webhook_event(
        session,
        account_ids=[a.id for a in watchers if a.id is not None],
        event=_event(lead, "lead.created"),
        dedupe_key=f"lead:{lead.id}:created",
    )


def status_changed(session: Session, lead: Lead, event_id: int) -> None:
    words = get_content().leads
    update = words.person_updates.get(lead.status)
    if update is not None and lead.channel == "telegram" and lead.channel_user:
        store.telegram_message(
            session,
            chat_id=lead.channel_user,
            purpose="status_update",
            text=update.get(lead.lang).format(reference=lead.reference),
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
                        buttons=[[{"text": "Xem hồ sơ", "callback_data": f"ld|{lead.id}|view"}]],
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
