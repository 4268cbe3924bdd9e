"""`/chat`: the conversation in a browser, for a cheap phone or a commune office computer.

One server-rendered page (under 50 KB, nothing loaded from elsewhere) that works without
JavaScript: the replies with each button as a submit button, and a text box. A small inline script
makes it better where it runs: it posts with fetch and appends the replies without a reload.

- `GET /chat[?c=<commune code>]`: the welcome (or the current question of a conversation left
  half-way); `c` pre-fills the commune as a Telegram start link does (an unknown code is ignored,
  with a note). Opening the page writes nothing unless it carries `c`.
- `POST /chat` (form: `csrf_token`, and `b` a button's data or `t` typed text): one turn. The form
  token is tied to the browser's cookie; a post without it, with another, or from another site
  (Origin) answers 403. Posts are limited per browser and per address (429).
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.channels.web import MAX_TEXT, Exchange, WebChat, new_id, to_event, valid_id
from bot.channels.webchat.limits import RateLimit
from bot.engine.common import LANGUAGE_NAMES
from bot.engine.replies import Reply
from content.i18n import translator
from content.localized import LANGS
from contract import buttons

log = logging.getLogger(__name__)

ID_COOKIE = "bm_chat"
LANG_COOKIE = "bm_chat_lang"
CSRF_FIELD = "csrf_token"
FETCH_HEADER = "x-requested-with"  # set by the page's script: answer only the new replies
ID_MAX_AGE = 30 * 86400  # a month of quiet; the conversation itself is kept by the API
TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class WebChatSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    enabled: bool = Field(default=True, validation_alias=AliasChoices("BUOCMOI_WEB_CHAT"))
    # Posts per minute (and burst) for one browser, and for one address (a commune office's
    # computers share one).
    per_browser: int = Field(
        default=30, ge=1, le=6000, validation_alias=AliasChoices("BUOCMOI_WEB_CHAT_RATE")
    )
    per_address: int = Field(
        default=300, ge=1, le=60000, validation_alias=AliasChoices("BUOCMOI_WEB_CHAT_ADDRESS_RATE")
    )


@dataclass
class Limits:
    browser: RateLimit
    address: RateLimit

    @classmethod
    def from_settings(cls, settings: WebChatSettings) -> Limits:
        return cls(
            RateLimit(settings.per_browser, burst=max(5, settings.per_browser // 3)),
            RateLimit(settings.per_address, burst=max(20, settings.per_address // 3)),
        )


router = APIRouter(include_in_schema=False)


def _chrome(lang: str) -> dict[str, str]:
    """The page's own words (the conversation's come from the engine)."""
    _ = translator(lang)
    return {
        "title": _("Bước Mới — trò chuyện"),
        "tagline": _("Tìm hiểu vay vốn Ngân hàng Chính sách xã hội cho người đã chấp hành xong án."),
        "you": _("Bạn"),
        "type_here": _("Gõ câu hỏi hoặc câu trả lời"),
        "send": _("Gửi"),
        "language": _("Ngôn ngữ"),
        "free": _("Miễn phí: không ai được thu tiền làm hồ sơ."),
        "private": _(
            "Không cần đăng nhập. Trên máy dùng chung, gõ /xoadulieu khi xong để xóa cuộc trò chuyện."
        ),
        "contact_hint": _("Gõ số điện thoại của bạn vào ô bên dưới."),
        "failed": _("Chưa gửi được. Bạn thử lại nhé."),
    }


def _lang_hint(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGS else "vi"


def _secure(request: Request) -> bool:
    settings = getattr(request.app.state, "settings", None)
    base = str(getattr(settings, "base_url", ""))
    return base.startswith("https://") or request.url.scheme == "https"


def _same_origin(request: Request, origin: str) -> bool:
    settings = getattr(request.app.state, "settings", None)
    allowed = {str(getattr(settings, "base_url", "")).rstrip("/")}
    host = request.headers.get("host")
    if host:
        allowed.add(f"{request.url.scheme}://{host}")
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" in allowed


def _page(
    request: Request,
    chat: WebChat | None,
    web_id: str | None,
    exchange: Exchange,
    *,
    status: int = 200,
    note: str | None = None,
    said: str | None = None,
    fragment: bool = False,
) -> HTMLResponse:
    lang = exchange.lang
    nonce = secrets.token_urlsafe(12)
    context: dict[str, Any] = {
        "lang": lang,
        "t": _chrome(lang),
        "replies": exchange.replies,
        "note": note,
        "said": said,
        "csrf": chat.csrf_token(web_id) if chat is not None and web_id else "",
        "csrf_field": CSRF_FIELD,
        "languages": [(code, LANGUAGE_NAMES[code].split(" ", 1)[-1]) for code in LANGS],
        "lang_data": {code: buttons.data("lang", code) for code in LANGS},
        "nonce": nonce,
        "max_text": MAX_TEXT,
    }
    name = "_log.html" if fragment else "chat.html"
    response = HTMLResponse(_env.get_template(name).render(**context), status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; "
        "connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    )
    if chat is not None and web_id:
        response.set_cookie(
            ID_COOKIE,
            web_id,
            max_age=ID_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/chat",
        )
    if request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 86400,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/chat",
        )
    return response


def _refusal(request: Request, status: int, message: str, fragment: bool) -> HTMLResponse:
    lang = _lang_hint(request)
    return _page(request, None, None, Exchange([Reply(message)], lang), status=status, fragment=fragment)


def _chat(request: Request) -> WebChat | None:
    chat = getattr(request.app.state, "webchat", None)
    return chat if isinstance(chat, WebChat) else None


def _unavailable(request: Request) -> HTMLResponse:
    _ = translator(_lang_hint(request))
    return _refusal(request, 503, _("Trò chuyện trên web đang tạm nghỉ. Bạn thử lại sau nhé."), False)


def _limited(request: Request, web_id: str, fragment: bool = False) -> HTMLResponse | None:
    """429 when this browser or this address posts faster than the limits allow."""
    limits: Limits = request.app.state.webchat_limits
    address = request.client.host if request.client else "-"
    wait = max(limits.browser.allow(web_id), limits.address.allow(address))
    if wait <= 0:
        return None
    seconds = max(1, math.ceil(wait))
    _ = translator(_lang_hint(request))
    message = _("Bạn gửi nhanh quá. Chờ {seconds} giây rồi gửi lại nhé.").format(seconds=seconds)
    response = _refusal(request, 429, message, fragment)
    response.headers["Retry-After"] = str(seconds)
    return response


@router.get("/chat", response_class=HTMLResponse)
async def chat_page(
    request: Request, c: Annotated[str | None, Query(description="commune code (five digits)")] = None
) -> Response:
    chat = _chat(request)
    if chat is None:
        return _unavailable(request)
    hint = _lang_hint(request)
    cookie = request.cookies.get(ID_COOKIE)
    known = valid_id(cookie)
    web_id = cookie if known and cookie else new_id()
    note = None
    exchange = None
    if c is not None and c.strip():
        # A pre-fill writes a conversation: limited like a post.
        limited = _limited(request, web_id)
        if limited is not None:
            return limited
        exchange = await chat.prefill(web_id, c, hint)
        if exchange is None:
            _ = translator(hint)
            note = _(
                "Mã xã/phường trong đường dẫn không đúng nên chưa chọn sẵn. Bạn vẫn trò chuyện bình thường."
            )
    if exchange is None:
        exchange = await chat.current(web_id if known else None, hint)
    return _page(request, chat, web_id, exchange, note=note)


@router.post("/chat", response_class=HTMLResponse)
async def chat_post(request: Request) -> Response:
    fragment = request.headers.get(FETCH_HEADER) == "fetch"
    chat = _chat(request)
    if chat is None:
        return _unavailable(request)
    _ = translator(_lang_hint(request))
    web_id = request.cookies.get(ID_COOKIE)
    origin = request.headers.get("origin")
    if origin and origin != "null" and not _same_origin(request, origin):
        return _refusal(request, 403, _("Biểu mẫu này không gửi từ trang trò chuyện của Bước Mới."), fragment)
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not valid_id(web_id) or not isinstance(sent, str) or not chat.csrf_ok(str(web_id), sent):
        return _refusal(
            request,
            403,
            _("Trang đã cũ hoặc thiếu mã bảo vệ. Bạn tải lại trang /chat rồi gửi lại nhé."),
            fragment,
        )
    assert web_id is not None
    limited = _limited(request, web_id, fragment)
    if limited is not None:
        return limited
    button, text = form.get("b"), form.get("t")
    event = to_event(button if isinstance(button, str) else None, text if isinstance(text, str) else None)
    hint = _lang_hint(request)
    if event is None:
        exchange = await chat.current(web_id, hint)
        return _page(request, chat, web_id, exchange, fragment=fragment)
    exchange = await chat.turn(web_id, event, hint)
    said = text[:MAX_TEXT] if isinstance(text, str) and not button and not fragment else None
    return _page(request, chat, web_id, exchange, said=said, fragment=fragment)
