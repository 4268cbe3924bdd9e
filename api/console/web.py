"""What every console page shares: the signed-in officer as the API's `Actor`, the CSRF check every
form goes through, the language, the clock, the navigation per role, and rendering.

Extension points for later pages:
- `NAV`: add a `NavItem` for the roles that see a new page;
- `ConsoleDep` gives the page its `Console` (actor, CSRF token, language); `CsrfDep` on every POST;
- `render(console, "page.html", ...)` with templates that extend `base.html`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.actor import Actor
from api.console import auth
from api.console.i18n import T_, console_lang, translations
from api.core.config import ApiSettings
from api.deps import SessionDep
from api.models import ConsoleSession, utcnow
from api.roles import Role
from api.services.accounts import communes_of
from api.sessions import releases_sessions

SESSION_COOKIE = "bm_console"
LANG_COOKIE = "bm_lang"
CSRF_FIELD = "csrf_token"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # a message id (N_), translated when shown


# The navigation, per role: later pages add their item here.
NAV: dict[Role, list[NavItem]] = {
    Role.COMMUNE_POLICE: [
        NavItem("/console/", T_("Hộp việc")),
        NavItem("/console/monthly-lists", T_("Danh sách tháng")),
    ],
    Role.BANK: [
        NavItem("/console/", T_("Hộp việc")),
        NavItem("/console/monthly-lists", T_("Danh sách tháng")),
    ],
    Role.COORDINATOR: [
        NavItem("/console/", T_("Hộp việc")),
        NavItem("/console/coordinator", T_("Điều phối tỉnh")),
        NavItem("/console/targets", T_("Chỉ tiêu")),
    ],
    Role.AGENCY: [NavItem("/console/targets", T_("Chỉ tiêu"))],
    Role.INTAKE_OFFICER: [NavItem("/console/assisted", T_("Lập hồ sơ hộ"))],
    Role.ADMIN: [
        NavItem("/console/admin/accounts", T_("Tài khoản")),
        NavItem("/console/admin/import", T_("Nhập từ tệp")),
        NavItem("/console/admin/deliveries", T_("Tin gửi lỗi")),
        NavItem("/console/admin/audit", T_("Nhật ký truy cập")),
    ],
}

ROLE_NAMES = {
    Role.COMMUNE_POLICE: T_("Công an xã/phường"),
    Role.BANK: T_("Ngân hàng Chính sách xã hội"),
    Role.COORDINATOR: T_("Điều phối viên tỉnh"),
    Role.AGENCY: T_("Cơ quan"),
    Role.ADMIN: T_("Quản trị viên"),
    Role.INTAKE_OFFICER: T_("Cán bộ hỗ trợ lập hồ sơ"),
}


class NotSignedIn(Exception):
    """No live console session: pages answer with the sign-in page."""


class PageError(Exception):
    """An HTML error page (404 for a referral out of scope, 403 for a refused form, ...)."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


def now(request: Request) -> datetime:
    """The app's clock (tests fix it: `app.state.clock`)."""
    clock: Callable[[], datetime] = getattr(request.app.state, "clock", utcnow)
    return clock()


def lang_of(request: Request) -> str:
    return console_lang(request.cookies.get(LANG_COOKIE))


@dataclass
class Console:
    """One request of a signed-in member of staff."""

    request: Request
    actor: Actor
    session_row: ConsoleSession
    lang: str
    flash: list[str] = field(default_factory=list)

    @property
    def csrf(self) -> str:
        return self.session_row.csrf_token

    def _(self, message: str) -> str:
        return translations(self.lang).gettext(message)

    def nav(self) -> list[NavItem]:
        return NAV.get(self.actor.role, [])


@releases_sessions
def get_console(request: Request, session: SessionDep) -> Console:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotSignedIn
    found = auth.current_session(session, cookie, now(request))
    if found is None:
        raise NotSignedIn
    row, account = found
    # The same Actor the API builds from a bearer token: every rule below is the API's.
    actor = Actor(account, Role(account.role), tuple(communes_of(session, account)))
    return Console(request, actor, row, lang_of(request))


ConsoleDep = Annotated[Console, Depends(get_console)]


def _same_origin(request: Request, origin: str) -> bool:
    settings: ApiSettings = request.app.state.settings
    allowed = {settings.base_url.rstrip("/")}
    host = request.headers.get("host")
    if host:
        allowed.add(f"{request.url.scheme}://{host}")
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" in allowed


async def check_csrf(request: Request, expected: str) -> None:
    """A POST must carry the form's token, and come from this site when the browser says where
    from (Origin); otherwise 403."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and not _same_origin(request, origin):
        raise PageError(403, T_("Biểu mẫu này không gửi từ trang làm việc của Bước Mới."))
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise PageError(
            403, T_("Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ. Bạn tải lại trang rồi làm lại nhé.")
        )


async def require_csrf(request: Request, console: ConsoleDep) -> Console:
    await check_csrf(request, console.csrf)
    return console


# For every POST of a signed-in page: the console, after its CSRF check.
CsrfDep = Annotated[Console, Depends(require_csrf)]


def local_time(moment: datetime | None, lang: str) -> str:
    if moment is None:
        return ""
    return format_datetime(moment, "dd/MM/yyyy HH:mm", tzinfo=VIETNAM_TZ, locale=lang)


def render_page(
    request: Request,
    name: str,
    lang: str,
    context: dict[str, Any],
    status: int = 200,
    console: Console | None = None,
) -> HTMLResponse:
    gettext = translations(lang).gettext
    page = _env.get_template(name).render(
        _=gettext,
        lang=lang,
        console=console,
        me=console.actor.account if console else None,
        role_name=gettext(ROLE_NAMES[console.actor.role]) if console else "",
        nav=console.nav() if console else [],
        csrf=console.csrf if console else "",
        csrf_field=CSRF_FIELD,
        path=request.url.path,
        here=quote(str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""), safe=""),
        local_time=lambda moment: local_time(moment, lang),
        **context,
    )
    response = HTMLResponse(page, status_code=status)
    # Personal data: no caching anywhere, no framing by other sites.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    return response


def render(console: Console, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return render_page(console.request, name, console.lang, context, status, console)


def see_other(path: str) -> Response:
    """After a form: back to a page with GET (the browser's back button does not resend it)."""
    return RedirectResponse(path, status_code=303)
