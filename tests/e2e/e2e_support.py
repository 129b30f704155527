"""Helpers for the browser tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Page, Response, expect

from tests_support import PASSWORD

__all__ = ["PASSWORD"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
# The README's pictures are refreshed only on request (WERKBRUG_UPDATE_SCREENSHOTS=1), so a
# test run never changes tracked files; otherwise they go with the other artefacts.
README_SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("WERKBRUG_UPDATE_SCREENSHOTS") == "1"
    else ARTIFACTS / "readme"
)
DESKTOP = {"width": 1280, "height": 800}

# Labels and buttons in either language: the UI is Dutch once translated, English until then.
USERNAME_LABEL = re.compile(r"gebruikersnaam|user ?name", re.IGNORECASE)
PASSWORD_LABEL = re.compile(r"wachtwoord|password", re.IGNORECASE)
LOGIN_BUTTON = re.compile(r"^\s*(inloggen|aanmelden|log in)\s*$", re.IGNORECASE)
TOKEN_LABEL = re.compile(r"code", re.IGNORECASE)


def screenshot(page: Page, name: str, *, folder: Path = ARTIFACTS, full_page: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def current_totp(device: TOTPDevice, key: bytes | None = None) -> str:
    code = totp(key or device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def secret_from_page(page: Page) -> bytes:
    """Open "enter the key yourself" and decode the base32 key shown there."""
    page.locator("details.disclosure > summary").click()
    secret = page.locator("code.secret")
    expect(secret).to_be_visible()
    text = re.sub(r"\s+", "", secret.inner_text()).upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def fill_in_login(page: Page, username: str, password: str) -> None:
    page.get_by_label(USERNAME_LABEL).fill(username)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name=LOGIN_BUTTON).click()


def set_up_two_factor(page: Page, user: Any) -> None:
    """On the set-up page: read the key the page shows, type the current code, confirm."""
    page.wait_for_url(re.compile(r"/inloggen/2fa-instellen/"))
    key = secret_from_page(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert key == device.bin_key, "the key shown on the page is not the device's key"
    page.get_by_role("textbox", name=TOKEN_LABEL).fill(current_totp(device, key))
    page.locator("main button[type=submit]").click()


@dataclass
class PageProblems:
    """Console errors, uncaught exceptions and failed responses seen by a page."""

    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> PageProblems:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.exceptions.append(f"{page.url}: {error}"))
        page.on("response", self._on_response)
        return self

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(f"{message.location.get('url', '')}: {message.text}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.responses.append(f"{response.status} {response.request.method} {response.url}")

    def all(self) -> list[str]:
        return self.console + self.exceptions + self.responses
