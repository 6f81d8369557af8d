"""The review page end to end: a real server, headless Chromium, keyboard only.

The Flask tests check the API; only a browser shows that the page wires keys to decisions,
advances through the queue, and shows hostile document text as text. Debian's Chromium
and chromedriver are used as installed: the machine is offline, so Selenium Manager must
never try to download a driver.
"""

from __future__ import annotations

import json
import os
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver import Chrome
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from spacy.language import Language
from werkzeug.serving import make_server

from extract.review.log import CLAIM_TYPES, ReviewLog
from extract.review.server import create_app
from tests.review.test_server import IMG_CLAIM, SCRIPT_CLAIM, build_review_dataset

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REVIEWER = "browser-reviewer"
SCREENSHOT = Path("/tmp/review_page.png")
WAIT_S = 10


@pytest.fixture(scope="module")
def browser_binaries() -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        message = f"{', '.join(missing)} not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI must run the browser test")
        pytest.skip(message)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return build_review_dataset(tmp_path_factory.mktemp("review-browser"), nlp)


@pytest.fixture(scope="module")
def base_url(dataset: Path) -> Iterator[str]:
    """The review app on a free loopback port, served from a background thread."""
    server = make_server("127.0.0.1", 0, create_app(dataset, reviewer=REVIEWER), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture(scope="module")
def driver(browser_binaries: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chrome]:
    # Offline machine: Selenium Manager must not run (it would try to download a driver).
    previous = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(argument)
    # Console messages: a CSP violation or a script error shows up there.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()
        if previous is None:
            os.environ.pop("SE_OFFLINE", None)
        else:
            os.environ["SE_OFFLINE"] = previous


def api(base_url: str, path: str) -> Any:
    with urllib.request.urlopen(base_url + path.lstrip("/"), timeout=WAIT_S) as response:
        return json.load(response)


def text_of(driver: Chrome, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def wait_for(driver: Chrome, condition: Callable[[Chrome], Any], what: str) -> None:
    WebDriverWait(driver, WAIT_S).until(condition, f"timed out waiting for {what}")


def press(driver: Chrome, key: str) -> None:
    """A key pressed with nothing focused (the page's body has the keyboard)."""
    assert driver.execute_script("return document.activeElement === document.body")
    ActionChains(driver).send_keys(key).perform()


def wait_for_claim(driver: Chrome, claim_id: str) -> None:
    wait_for(driver, lambda d: text_of(d, "claim-id") == claim_id, f"claim {claim_id}")


def assert_no_alert(driver: Chrome) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 (the property access is the check)


def assert_clean_console(driver: Chrome) -> None:
    """No script error and no Content-Security-Policy violation was logged."""
    severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_review_with_the_keyboard(driver: Chrome, base_url: str, dataset: Path) -> None:
    queue = api(base_url, "/api/queue")["claim_ids"]
    total = len(queue)
    driver.get(base_url)
    wait_for_claim(driver, queue[0])
    assert driver.find_element(By.ID, "reviewer").get_attribute("value") == REVIEWER
    assert text_of(driver, "progress") == f"Reviewed 0 / {total}"

    # The first claim carries an <img onerror>: shown as text, highlighted, never run.
    assert text_of(driver, "claim-text") == IMG_CLAIM
    assert driver.find_element(By.ID, "claim-text").tag_name == "mark"
    assert not driver.find_elements(By.CSS_SELECTOR, "#claim-view img, #claim-view script")
    assert "<img src=x onerror=alert(1)>" in driver.find_element(By.TAG_NAME, "body").text
    assert driver.find_elements(By.CSS_SELECTOR, "#paragraph .entity")  # entities underlined
    assert_no_alert(driver)
    driver.save_screenshot(str(SCREENSHOT))

    # y then a: accept with the verdict "supported".
    press(driver, "y")
    wait_for(driver, lambda d: text_of(d, "pending-verdict") == "supported", "pending verdict")
    press(driver, "a")
    wait_for(driver, lambda d: text_of(d, "progress") == f"Reviewed 1 / {total}", "progress 1")
    wait_for_claim(driver, queue[1])
    assert text_of(driver, "pending-verdict") == "none"  # a verdict goes with one decision
    assert text_of(driver, "claim-text") == SCRIPT_CLAIM
    assert "<script>alert(1)</script>" in driver.find_element(By.TAG_NAME, "body").text

    # x: reject.
    press(driver, "x")
    wait_for(driver, lambda d: text_of(d, "progress") == f"Reviewed 2 / {total}", "progress 2")
    wait_for_claim(driver, queue[2])

    # 3: relabel to the third type in the list shown on screen.
    third = driver.find_elements(By.CSS_SELECTOR, "#type-keys button")[2]
    assert third.text.startswith("3 ")
    press(driver, "3")
    wait_for(driver, lambda d: text_of(d, "progress") == f"Reviewed 3 / {total}", "progress 3")
    wait_for_claim(driver, queue[3])

    rows = ReviewLog(dataset).rows()
    assert [row["claim_id"] for row in rows] == queue[:3]
    assert [row["decision"] for row in rows] == ["accept", "reject", "relabel"]
    assert [row["verdict"] for row in rows] == ["supported", None, None]
    assert [row["claim_type"] for row in rows] == [None, None, CLAIM_TYPES[2]]
    assert {row["channel"] for row in rows} == {"web"}
    assert {row["reviewer"] for row in rows} == {REVIEWER}
    assert [row["has_citation"] for row in rows] == [None, None, None]

    # k goes back to the relabelled claim, which now shows its decision.
    press(driver, "k")
    wait_for_claim(driver, queue[2])
    assert text_of(driver, "fact-decision").startswith("relabel to")

    # The help overlay opens and closes with ?.
    press(driver, "?")
    wait_for(driver, lambda d: d.find_element(By.ID, "help").is_displayed(), "help open")
    ActionChains(driver).send_keys("?").perform()
    wait_for(driver, lambda d: not d.find_element(By.ID, "help").is_displayed(), "help closed")
    assert_no_alert(driver)
    assert_clean_console(driver)


def test_no_citation_filter_changes_the_queue(driver: Chrome, base_url: str) -> None:
    everything = api(base_url, "/api/queue")["claim_ids"]
    uncited = api(base_url, "/api/queue?uncited=1")["claim_ids"]
    assert 0 < len(uncited) < len(everything)
    driver.get(base_url)
    wait_for(driver, lambda d: text_of(d, "claim-id") in everything, "a claim")
    driver.find_element(By.ID, "filter-uncited").click()
    expected = f"Claim 1 of {len(uncited)} in the queue"
    wait_for(driver, lambda d: text_of(d, "queue-info") == expected, "the filtered queue")
    wait_for_claim(driver, uncited[0])
    assert text_of(driver, "fact-citation").startswith("no")
    driver.execute_script("document.activeElement.blur()")  # the keyboard back to the page
    press(driver, "j")
    wait_for_claim(driver, uncited[1])
    assert_clean_console(driver)
