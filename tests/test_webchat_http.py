"""The web chat over real HTTP without JavaScript: page weight, no outside assets, the cookie, the
form token, the rate limit, `?c=` pre-filling the commune, and a screening from greeting to result."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import text

from bot.channels.webchat import WebChatSettings
from tests.harness import COMMUNE_A
from tests.webchat_harness import csrf_of, press, say, serving_webchat, text_of


def _screening(client: httpx.Client, page: str) -> str:
    """From the first question of the screening to its result."""
    page = press(client, page, "Tôi")
    page = press(client, page, "Đã chấp hành xong")
    page = say(client, page, "có rồi")
    page = say(client, page, "03/2024")
    page = press(client, page, "Sản xuất")
    page = say(client, page, "50 triệu")
    return press(client, page, "Không")


def test_the_page_is_light_self_contained_and_in_vietnamese(database_url: str) -> None:
    with serving_webchat(database_url) as server, server.browser() as client:
        answer = client.get("/chat")
        assert answer.status_code == 200
        page = answer.text
        assert len(answer.content) < 50_000
        assert '<html lang="vi">' in page and "Chào bạn!" in page
        assert not re.search(r"https?://|//[a-z]", page)  # nothing loaded from anywhere else
        assert "<link" not in page and "<img" not in page and "src=" not in page
        assert "Miễn phí: không ai được thu tiền làm hồ sơ" in text_of(page)
        assert "'nonce-" in answer.headers["content-security-policy"]
        cookie = answer.headers["set-cookie"]
        assert "bm_chat=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie
        # Opening the page stores nothing (a link preview, a crawler).
        with server.engine.connect() as db:
            assert db.execute(text("select count(*) from conversation")).scalar() == 0
        assert client.get("/chat", params={"x": "1"}).status_code == 422  # undeclared parameter


def test_cookies_are_secure_behind_https(database_url: str) -> None:
    https = {"BUOCMOI_PUBLIC_URL": "https://buocmoi.example"}
    with serving_webchat(database_url, **https) as server, server.browser() as client:
        cookie = client.get("/chat").headers["set-cookie"]
    assert "Secure" in cookie


def test_a_screening_from_greeting_to_result_kept_by_the_cookie(database_url: str) -> None:
    with serving_webchat(database_url) as server, server.browser() as client:
        page = client.get("/chat").text
        page = press(client, page, "Kiểm tra điều kiện vay")
        assert "Tôi (người đã ra trại)" in text_of(page)
        # The same browser opening the page again is asked the current question, not the menu.
        again = client.get("/chat").text
        assert "Tôi" in text_of(again) and "Chào bạn!" not in text_of(again)
        result = _screening(client, client.get("/chat").text)
        assert "Có khả năng đủ điều kiện" in text_of(result)
        assert "Bạn:" not in result  # a press is not echoed; typed text is
        assert "Bạn:</b> 50 triệu" in say(client, result, "50 triệu")
        with server.engine.connect() as db:
            rows = db.execute(text("select channel, channel_user from conversation")).all()
        assert [r[0] for r in rows] == ["web"]
        assert rows[0][1] != client.cookies["bm_chat"]  # the cookie's value is never stored
        # Another browser has a conversation of its own.
        with server.browser() as other:
            assert "Chào bạn!" in other.get("/chat").text


def test_forms_without_the_right_token_are_refused(database_url: str) -> None:
    with serving_webchat(database_url) as server, server.browser() as client, server.browser() as other:
        page = client.get("/chat").text
        token = csrf_of(page)
        other_token = csrf_of(other.get("/chat").text)
        data = {"t": "lãi suất bao nhiêu"}
        assert client.post("/chat", data=data).status_code == 403
        assert client.post("/chat", data={**data, "csrf_token": "x" * 64}).status_code == 403
        assert client.post("/chat", data={**data, "csrf_token": other_token}).status_code == 403
        refused = client.post(
            "/chat", data={**data, "csrf_token": token}, headers={"Origin": "https://evil.example"}
        )
        assert refused.status_code == 403 and "Bước Mới" in refused.text
        with server.browser() as stranger:  # no cookie at all
            assert stranger.post("/chat", data={**data, "csrf_token": token}).status_code == 403
        assert client.post("/chat", data={**data, "csrf_token": token}).status_code == 200


def test_c_prefills_the_commune_and_an_unknown_code_is_ignored_with_a_note(database_url: str) -> None:
    with serving_webchat(database_url) as server:
        with server.browser() as client:
            page = client.get("/chat", params={"c": COMMUNE_A}).text
            assert "Chào bạn!" in text_of(page) and "Xã/phường của bạn: Phường Mỹ Xuyên" in text_of(page)
            page = press(client, page, "Nơi liên hệ")
            assert "Phường Mỹ Xuyên" in text_of(page)  # no question: the commune is known
            assert "Bạn đang sống ở xã/phường nào" not in text_of(page)
        with server.browser() as client:
            for code in ("99999", "00001", "abc", "01001", "3" * 500):  # not a commune of the province
                answer = client.get("/chat", params={"c": code})
                assert answer.status_code == 200
                assert "Mã xã/phường trong đường dẫn không đúng" in text_of(answer.text)
            page = press(client, answer.text, "Nơi liên hệ")
            assert "Bạn đang sống ở xã/phường nào" in text_of(page)


def test_the_language_switch_and_khmer(database_url: str) -> None:
    with serving_webchat(database_url) as server, server.browser() as client:
        page = press(client, client.get("/chat").text, "English")
        assert '<html lang="en">' in page and "Hello!" in page
        page = press(client, client.get("/chat").text, "ភាសាខ្មែរ")
        assert '<html lang="km">' in page
        assert '<html lang="km">' in client.get("/chat").text


def test_posts_are_rate_limited_per_browser(database_url: str) -> None:
    chat = WebChatSettings(BUOCMOI_WEB_CHAT_RATE=1)  # a burst of 5, then one a minute
    with serving_webchat(database_url, chat=chat) as server, server.browser() as client:
        token = csrf_of(client.get("/chat").text)
        statuses = [
            client.post("/chat", data={"csrf_token": token, "t": "/menu"}).status_code for _ in range(7)
        ]
        assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
        limited = client.post("/chat", data={"csrf_token": token, "t": "/menu"})
        assert int(limited.headers["retry-after"]) >= 1 and "Bạn gửi nhanh quá" in limited.text
        with server.browser() as other:  # another browser is not held up
            token = csrf_of(other.get("/chat").text)
            assert other.post("/chat", data={"csrf_token": token, "t": "/menu"}).status_code == 200


def test_a_fetch_post_answers_only_the_new_replies(database_url: str) -> None:
    with serving_webchat(database_url) as server, server.browser() as client:
        token = csrf_of(client.get("/chat").text)
        answer = client.post(
            "/chat", data={"csrf_token": token, "t": "lãi suất"}, headers={"X-Requested-With": "fetch"}
        )
        assert answer.status_code == 200
        assert "<html" not in answer.text and 'class="bot"' in answer.text
