"""The HTML digest in a real headless Chromium (Debian's chromium + chromium-driver).

Without Chromium these tests skip with the install line; under CI (CI=true) they fail
instead, and .ci/run installs Chromium first, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLE_FILES, write_models_yaml
from digest.config import load_config
from digest.ingest import load_article
from digest.models import load_models
from digest.options import DigestOptions
from digest.results import BiText, DigestResult
from digest.summarize import summarize
from digest.writers import get_writer

HIGHLIGHT = "rgba(255, 226, 122, 1)"  # --hl in writers/html_assets.py
TRANSPARENT = "rgba(0, 0, 0, 0)"


INSTALL_HINT = "install it with: sudo apt-get install -y chromium chromium-driver"


def _find(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else "")
    if not found:
        if os.environ.get("CI"):  # CI must run these, not skip them
            pytest.fail(f"{name} not found: {INSTALL_HINT}")
        pytest.skip(f"{name} not found: {INSTALL_HINT}")
    return found


def test_missing_browser_skips_with_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium chromium-driver"):
        _find("no-such-browser-for-digest")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install"):
        _find("no-such-browser-for-digest")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Imported here, not skipped when missing: selenium is a dev dependency.
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _find("chromium")
    # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--force-device-scale-factor=1"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(_find("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def digests(tmp_path_factory: pytest.TempPathFactory) -> list[DigestResult]:
    path = write_models_yaml(
        tmp_path_factory.mktemp("b") / "m.yaml", None, fake_mode="invent-number"
    )
    models = load_models(load_config(path), summarizer="extractive", translator="default")
    return summarize([load_article(p) for p in SAMPLE_FILES], models, DigestOptions(bullets=5))


def open_page(driver: Any, r: DigestResult, folder: Path) -> None:
    page = folder / (Path(r.article.source).stem + ".digest.html")
    get_writer("html").write(r, page)
    driver.get(page.resolve().as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def highlighted(driver: Any) -> list[str]:
    return [e.get_attribute("data-sid") for e in driver.find_elements("css selector", ".sent.hl")]


def severe_logs(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_bullets_highlight_their_sources_on_hover_and_click(
    browser: Any, digests: list[DigestResult], tmp_path: Path
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    r = max(digests, key=lambda d: len(d.article.sentences))  # the long report: pane scrolls
    open_page(browser, r, tmp_path)
    assert browser.title == r.title.de
    assert severe_logs(browser) == []
    # Nothing was fetched: the page is self-contained.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0

    # German and English side by side, the article text beside the digest.
    de = browser.find_element("css selector", "#k1 .col[lang=de]").rect
    en = browser.find_element("css selector", "#k1 .col[lang=en]").rect
    assert en["x"] >= de["x"] + de["width"] - 1 and abs(en["y"] - de["y"]) < 5
    digest_box = browser.find_element("id", "digest").rect
    article_box = browser.find_element("id", "article").rect
    assert article_box["x"] >= digest_box["x"] + digest_box["width"] - 1
    assert highlighted(browser) == []

    actions = ActionChains(browser)
    second = r.bullets[1]
    actions.move_to_element(browser.find_element("id", second.id)).perform()
    assert highlighted(browser) == list(second.source_ids)
    span = browser.find_element("id", f"sent-{second.source_ids[0]}")
    assert span.value_of_css_property("background-color") == HIGHLIGHT
    others = [s for s in r.article.sentences if s.id not in second.source_ids]
    other = browser.find_element("id", f"sent-{others[0].id}")
    assert other.value_of_css_property("background-color") == TRANSPARENT

    # A click pins the highlight and scrolls the article pane to the source sentence.
    last = r.bullets[-1]
    bullet = browser.find_element("id", last.id)
    bullet.click()
    assert highlighted(browser) == list(last.source_ids)
    assert "pinned" in (bullet.get_attribute("class") or "")
    assert bullet.get_attribute("aria-pressed") == "true"
    marked = [browser.find_element("id", f"sent-{i}") for i in last.source_ids]
    # Provenance in the live page: the highlighted sentences are the bullet's text.
    assert " ".join(m.text for m in marked) == last.text.de
    pane = browser.find_element("id", "article").rect
    first = marked[0].rect
    assert pane["y"] <= first["y"] and first["y"] + first["height"] <= pane["y"] + pane["height"]
    shot = tmp_path / "digest-pinned.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000, shot

    # Leaving the bullets keeps the pinned highlight; a second click releases it.
    actions.move_to_element(browser.find_element("css selector", "header h1")).perform()
    assert highlighted(browser) == list(last.source_ids)
    bullet.click()
    actions.move_to_element(browser.find_element("css selector", "header h1")).perform()
    assert highlighted(browser) == []

    # Keyboard: Enter on a focused bullet pins it too.
    browser.find_element("id", r.bullets[0].id).send_keys(Keys.ENTER)
    assert highlighted(browser) == list(r.bullets[0].source_ids)
    # Flags are visible next to the bullets they concern.
    assert browser.find_elements("css selector", "li.bullet ul.flags li")
    assert severe_logs(browser) == []


def test_every_sample_page_renders_and_resolves_its_sources(
    browser: Any, digests: list[DigestResult], tmp_path: Path
) -> None:
    for r in digests:
        open_page(browser, r, tmp_path)
        assert severe_logs(browser) == [], r.article.source
        state = browser.execute_script(
            """
            const ids = new Set([...document.querySelectorAll('.sent')].map(e => e.dataset.sid));
            return [...document.querySelectorAll('li.bullet')].map(b => ({
              id: b.id,
              sources: b.dataset.sources.split(' '),
              missing: b.dataset.sources.split(' ').filter(s => !ids.has(s)),
              height: b.getBoundingClientRect().height,
            }));
            """
        )
        assert [s["id"] for s in state] == [b.id for b in r.bullets]
        for s, b in zip(state, r.bullets, strict=True):
            assert s["missing"] == [] and s["sources"] == list(b.source_ids)
            assert s["height"] > 20  # laid out, not collapsed


def test_german_only_page_has_one_column(browser: Any, tmp_path: Path) -> None:
    path = write_models_yaml(tmp_path / "m.yaml", None)
    models = load_models(load_config(path), summarizer="extractive", translator=None)
    [r] = summarize(load_article(SAMPLE_FILES[0]), models, DigestOptions(to=()))
    open_page(browser, r, tmp_path)
    assert browser.find_elements("css selector", ".col[lang=en]") == []
    de = browser.find_element("css selector", "#k1 .col[lang=de]").rect
    box = browser.find_element("id", "k1").rect
    assert de["width"] > 0.7 * box["width"]
    browser.find_element("id", "k1").click()
    assert highlighted(browser) == list(r.bullets[0].source_ids)


# Compound nouns longer than a phone is wide: without wrapping they push the page sideways.
LONG_TOKEN = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellerinnung" * 2


def test_phone_stacks_languages_wraps_and_scrolls_the_source_into_view(
    browser: Any, digests: list[DigestResult], tmp_path: Path
) -> None:
    r = max(digests, key=lambda d: len(d.article.sentences))
    r = replace(r, title=BiText(f"{r.title.de} {LONG_TOKEN}", f"{r.title.en} {LONG_TOKEN}"))
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        open_page(browser, r, tmp_path)
        assert browser.execute_script("return window.innerWidth") == 390
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        # German above English, both the full column width.
        de = browser.find_element("css selector", "#k1 .col[lang=de]").rect
        en = browser.find_element("css selector", "#k1 .col[lang=en]").rect
        assert en["y"] >= de["y"] + de["height"] - 1 and abs(en["x"] - de["x"]) < 2
        assert de["width"] > 250
        # The article follows the digest; the last bullet's source is far below the fold.
        last = r.bullets[-1]
        target = browser.find_element("id", f"sent-{last.source_ids[0]}")
        assert not _in_viewport(browser, target)
        browser.find_element("id", last.id).click()
        assert highlighted(browser) == list(last.source_ids)
        assert _in_viewport(browser, target)
        assert browser.execute_script("return window.scrollY") > 0
        assert severe_logs(browser) == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _in_viewport(driver: Any, element: Any) -> bool:
    box = driver.execute_script(
        "const b = arguments[0].getBoundingClientRect();"
        "return [b.top, b.bottom, window.innerHeight];",
        element,
    )
    return bool(box[0] >= 0 and box[1] <= box[2])


def test_dark_mode_follows_prefers_color_scheme(
    browser: Any, digests: list[DigestResult], tmp_path: Path
) -> None:
    def colours() -> tuple[float, float]:
        body = browser.find_element("tag name", "body")
        return (
            _luminance(body.value_of_css_property("background-color")),
            _luminance(body.value_of_css_property("color")),
        )

    open_page(browser, digests[0], tmp_path)
    light_bg, light_ink = colours()
    assert light_bg > 0.8 and light_ink < 0.3
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    try:
        browser.refresh()
        dark_bg, dark_ink = colours()
        assert dark_bg < 0.2 and dark_ink > 0.7
        card = browser.find_element("id", digests[0].bullets[0].id)
        assert _luminance(card.value_of_css_property("background-color")) < 0.2
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def _luminance(css: str) -> float:
    """Mean of the RGB channels of a CSS rgb()/rgba() value, from 0 (black) to 1 (white)."""
    channels = [float(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
    return sum(channels) / (3 * 255)
