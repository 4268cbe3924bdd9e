"""`/docs` works without the Internet: Swagger UI's assets come from the service itself."""

from __future__ import annotations

import re

from tests.harness import Api


def test_docs_page_loads_only_its_own_assets(api: Api) -> None:
    with api.client() as client:
        page = client.get("/docs")
        assert page.status_code == 200
        html = page.text
        # No outside URL at all: every script, style and icon is a path of this service.
        assert re.findall(r"https?://", html) == []
        assets = re.findall(r"""(?:src|href)=["'](/[^"']+)["']""", html)
        assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
        assert any(a.endswith("swagger-ui.css") for a in assets)
        for asset in assets:
            response = client.get(asset)
            assert response.status_code == 200, asset
            assert len(response.content) > 100
        assert "'/openapi.json'" in html or '"/openapi.json"' in html
        assert client.get("/openapi.json").status_code == 200
