"""Headless Debian Chromium driven by Selenium 4 through /usr/bin/chromedriver (never downloaded).
A missing browser fails the test: scripts/setup.sh installs it."""

from __future__ import annotations

from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def start_chromium(width: int = 1280, height: int = 900, javascript: bool = True) -> webdriver.Chrome:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    assert not missing, (
        f"{', '.join(missing)} missing: run scripts/setup.sh (apt-get install chromium chromium-driver)"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={width},{height}",
        "--lang=vi",
    ):
        options.add_argument(arg)
    if not javascript:  # a browser with scripts turned off: the page must work with plain forms
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    return driver


def submit(browser: webdriver.Chrome, button: WebElement, timeout: float = 15.0) -> None:
    """Press a form's button and wait until the page it leads to has loaded.

    While the old page is being replaced, a question about its button may fail with any WebDriver
    error ("stale element", or "node does not belong to the document" mid-navigation): each of
    them means the old page is gone, which is what we wait for."""
    button.click()

    def replaced(_driver: webdriver.Chrome) -> bool:
        try:
            button.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(browser, timeout).until(replaced)
    WebDriverWait(browser, timeout).until(
        lambda driver: driver.execute_script("return document.readyState") == "complete"
    )
