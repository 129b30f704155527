"""Staff link an authenticator app on their first log-in and type its code on every log-in
after that. The codes are computed from the key the set-up page shows, as a phone app would."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from e2e_support import PASSWORD, PageProblems, current_totp, fill_in_login, secret_from_page
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_LABEL = re.compile(r"code", re.IGNORECASE)


def test_two_factor_set_up_rejects_a_wrong_code_then_verifies_on_the_next_login(
    people: dict[str, Any], new_page: Callable[..., Page], live_server: Any
) -> None:
    user = people["teamleider"]
    problems = PageProblems()
    page = new_page()
    problems.watch(page)
    page.goto(f"{live_server.url}/")
    fill_in_login(page, user.username, PASSWORD)
    page.wait_for_url(re.compile(r"/inloggen/2fa-instellen/$"))
    expect(page.get_by_role("img", name=re.compile(r"qr", re.IGNORECASE))).to_be_visible()
    code = page.get_by_role("textbox", name=CODE_LABEL)
    expect(code).to_have_attribute("autocomplete", "one-time-code")

    # A wrong code: the error is shown next to the field and the key stays the same.
    key = secret_from_page(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code.fill(f"{(int(current_totp(device, key)) + 500_000) % 10**6:06d}")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(code).to_have_attribute("aria-invalid", "true")
    assert secret_from_page(page) == key
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    # django-otp throttles: after one wrong code the next try is accepted after one second.
    page.wait_for_timeout(1_100)
    code.fill(current_totp(device, key))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("section.panel[aria-labelledby='panel-team']")).to_be_visible()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1

    # A new session: password, then the verification page (not the set-up page again).
    page = new_page()
    problems.watch(page)
    page.goto(f"{live_server.url}/")
    fill_in_login(page, user.username, PASSWORD)
    page.wait_for_url(re.compile(r"/inloggen/verificatie/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The app's next code: the one typed during set-up may not be used twice.
    device.refresh_from_db()
    next_code = totp(key, step=device.step, t0=device.t0, digits=device.digits, drift=1)
    page.get_by_role("textbox", name=CODE_LABEL).fill(f"{next_code:06d}")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("section.panel[aria-labelledby='panel-team']")).to_be_visible()
    assert problems.all() == [], "\n".join(problems.all())
