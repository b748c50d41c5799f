"""In a real browser: a chair who stays signed in on the device is still signed in after reloading the
page (a phone reloads tabs); after signing out a reload shows the sign-in page; without the choice a
reload signs out, as Streamlit does. The cookie is HttpOnly (page scripts cannot read it)."""

import pytest
from playwright.sync_api import expect

from etl.demo import demo_code

pytestmark = pytest.mark.e2e

CODE_BOX = "Toegangscode van het stembureau"


def _sign_in_chair(page, url: str, *, keep: bool) -> None:
    page.goto(url)
    page.get_by_role("textbox", name=CODE_BOX).fill(demo_code("GM0392", 1))
    if not keep:
        page.get_by_text("Aangemeld blijven op dit apparaat").first.click()  # on by default for chairs
    page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
    expect(page.get_by_role("heading", name="Stembureau 1:", exact=False)).to_be_visible()


def _device_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "stemdag_device"), None)


def test_a_reload_keeps_the_chair_signed_in_until_they_sign_out(live_app, page):
    _sign_in_chair(page, live_app, keep=True)
    for _ in range(50):  # the page's cookie request goes out after the sign-in
        if _device_cookie(page):
            break
        page.wait_for_timeout(100)
    cookie = _device_cookie(page)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("stemdag_device") == -1
    page.reload()
    expect(page.get_by_role("heading", name="Stembureau 1:", exact=False)).to_be_visible()
    page.get_by_role("link", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
    expect(page.get_by_role("textbox", name=CODE_BOX)).to_be_visible()


def test_without_staying_signed_in_a_reload_signs_out(live_app, page):
    _sign_in_chair(page, live_app, keep=False)
    page.wait_for_timeout(1000)
    assert _device_cookie(page) is None
    page.reload()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
