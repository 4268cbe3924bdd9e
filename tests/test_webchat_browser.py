"""The web chat in headless Chromium, from the greeting to a screening result: once with
JavaScript (posts by fetch, replies appended without a reload) and once with it turned off (plain
forms, one page per answer)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import start_chromium, submit
from tests.webchat_harness import WebChatServer, serving_webchat


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebChatServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('webchat')}/browser.db"
    with serving_webchat(url) as running:
        yield running


def _last_button(browser: webdriver.Chrome, label: str) -> WebElement:
    every = browser.find_elements(By.CSS_SELECTOR, "form.choices button")
    buttons = [b for b in every if b.text.strip() == label] or [b for b in every if label in b.text]
    assert buttons, f"no button {label!r}"
    return buttons[-1]


def _bot_count(browser: webdriver.Chrome) -> int:
    return len(browser.find_elements(By.CSS_SELECTOR, "#log .bot"))


def _run(browser: webdriver.Chrome, act: Callable[[], None], with_js: bool) -> None:
    """Do something on the page and wait for the bot's answer: a new page without JavaScript, new
    replies appended to the same page with it."""
    if not with_js:
        act()
        return
    before = _bot_count(browser)
    act()
    WebDriverWait(browser, 15).until(lambda b: _bot_count(b) > before)


def _press(browser: webdriver.Chrome, label: str, with_js: bool) -> None:
    button = _last_button(browser, label)
    _run(browser, (lambda: button.click()) if with_js else (lambda: submit(browser, button)), with_js)


def _type(browser: webdriver.Chrome, text: str, with_js: bool) -> None:
    box = browser.find_element(By.ID, "t")
    box.clear()
    box.send_keys(text)
    send = browser.find_element(By.CSS_SELECTOR, "#say button")
    _run(browser, (lambda: send.click()) if with_js else (lambda: submit(browser, send)), with_js)


def _conversation(browser: webdriver.Chrome, base: str, with_js: bool) -> str:
    browser.get(f"{base}/chat")
    assert "Chào bạn!" in browser.find_element(By.ID, "log").text
    browser.execute_script("window.samePage = 1")  # gone if the page is ever reloaded
    _press(browser, "Kiểm tra điều kiện vay", with_js)
    _press(browser, "Tôi", with_js)
    _press(browser, "Đã chấp hành xong", with_js)
    _type(browser, "có rồi", with_js)
    _type(browser, "03/2024", with_js)
    _press(browser, "Sản xuất", with_js)
    _type(browser, "50 triệu", with_js)
    _press(browser, "Không", with_js)
    assert browser.execute_script("return window.samePage || 0") == (1 if with_js else 0)
    return str(browser.find_element(By.ID, "log").text)


@pytest.mark.parametrize("with_js", [True, False], ids=["javascript", "no-javascript"])
def test_greeting_to_a_screening_result(server: WebChatServer, with_js: bool) -> None:
    browser = start_chromium(width=360, height=740, javascript=with_js)
    try:
        log = _conversation(browser, server.url, with_js)
        assert "Có khả năng đủ điều kiện" in log, log
        if with_js:
            # One page all along: the replies were appended, and what the person did is shown.
            assert "Bạn: 50 triệu" in log and "Bạn: Tôi" in log
            assert "Chào bạn!" in log  # the greeting is still above the result
        else:
            assert "Chào bạn!" not in log  # each answer is a new page
        # The conversation is kept: opening the page again continues it (the result's buttons).
        browser.get(f"{server.url}/chat")
        assert "Chào bạn!" in browser.find_element(By.ID, "log").text
    finally:
        browser.quit()
