"""The staff console: server-rendered pages under `/console/` (and the landing page `/`).

`mount(app)` is called by `api.main.create_app`. Pages live in `routes/` (one module per page),
templates in `templates/` (each extends `base.html`), assets in `static/` (served by the app: no
outside CDN). Shared parts are in `web.py`: the signed-in `Console` (the API's own `Actor`), the
CSRF check (`CsrfDep`) every POST uses, the per-role navigation (`NAV`), and `render`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from api.console.api_routes import router as api_router
from api.console.i18n import T_
from api.console.routes import admin, assisted, coordinator, entry, inbox, monthly_lists, referral, targets
from api.console.web import STATIC, NotSignedIn, PageError, lang_of, render_page, see_other
from api.errors import validation_error
from api.models import utcnow

# Page modules, in the order their routes are matched; later pages append theirs.
PAGES = [entry, inbox, referral, coordinator, monthly_lists, targets, admin, assisted]


def mount(app: FastAPI, api_prefix: str) -> None:
    if not hasattr(app.state, "clock"):
        app.state.clock = utcnow
    app.include_router(api_router, prefix=api_prefix)
    for page in PAGES:
        app.include_router(page.router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _exc: NotSignedIn) -> Response:
        if request.method == "GET":
            return see_other("/console/signin")
        return render_page(request, "signin.html", lang_of(request), {"expired": True}, status=401)

    # A console address with a parameter FastAPI refuses (page=0, an unknown one) answers a page in
    # the officer's language; the API keeps its JSON errors.
    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if not request.url.path.startswith("/console/"):
            return await validation_error(request, exc)
        message = T_("Địa chỉ trang không hợp lệ. Bạn về hộp việc rồi làm lại nhé.")
        return render_page(request, "error.html", lang_of(request), {"status": 422, "message": message}, 422)

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        return render_page(
            request,
            "error.html",
            lang_of(request),
            {"status": exc.status, "message": exc.message},
            exc.status,
        )
