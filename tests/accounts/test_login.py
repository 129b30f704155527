"""Log-in: staff need TOTP two-factor authentication; demo users are exempt only in demo mode;
wrong passwords lock an account for a while; password reset works by e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests_support import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/inloggen/", {"username": username, "password": password})


def _forgive_wait(device: TOTPDevice) -> None:
    """django-otp makes the next try wait after a wrong code; a person takes longer than that
    to type, a test does not."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_login_page_is_dutch_by_default(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    assert b'lang="nl"' in response.content


def test_staff_without_device_must_set_up_two_factor_before_anything_else(client, people):
    response = _login(client, "relatiemanager")
    assert response.status_code == 302
    assert client.get("/").url == "/inloggen/2fa-instellen/"
    page = client.get("/inloggen/2fa-instellen/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=people["relatiemanager"], confirmed=False)
    wrong = client.post(
        "/inloggen/2fa-instellen/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    _forgive_wait(device)
    right = client.post("/inloggen/2fa-instellen/", {"token": _code(device)})
    assert right.status_code == 302 and right.url == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_staff_with_device_must_enter_a_code(client, people):
    device = TOTPDevice.objects.create(user=people["beheerder"], name="app", confirmed=True)
    _login(client, "beheerder")
    assert client.get("/beheer/instellingen/").url == "/inloggen/verificatie/"
    assert client.post("/inloggen/verificatie/", {"token": "12ab56"}).status_code == 200
    wrong = "000000" if _code(device) != "000000" else "111111"
    assert client.post("/inloggen/verificatie/", {"token": wrong}).status_code == 200
    _forgive_wait(device)
    response = client.post("/inloggen/verificatie/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.get("/beheer/instellingen/").status_code == 200


def test_portal_users_need_no_second_factor(client, people):
    _login(client, "werkgever")
    assert client.get("/").status_code == 200


def test_demo_users_are_exempt_only_in_demo_mode(client, people, settings):
    user = people["teamleider"]
    user.is_demo = True
    user.save()
    settings.DEMO = False
    _login(client, "teamleider")
    assert client.get("/").status_code == 302
    settings.DEMO = True
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_a_clear_message(client, people):
    response = _login(client, "relatiemanager", "wrong password")
    assert response.status_code == 200
    page = response.content.decode()
    assert "De gebruikersnaam of het wachtwoord is niet juist." in page  # in Dutch, with why
    assert not response.wsgi_request.user.is_authenticated


def test_repeated_failures_lock_the_account(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "klantmanager", "wrong password")
    response = _login(client, "klantmanager")  # even the right password is refused now
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_password_reset_sends_a_working_link(client, people):
    response = client.post("/inloggen/wachtwoord-vergeten/", {"email": "kandidaat@example.nl"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line.strip() for line in body.splitlines() if "/wachtwoord-herstellen/" in line)
    path = link[link.index("/inloggen/") :]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "een nieuw en lang wachtwoord"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert _login(Client(), "kandidaat", new_password).status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(client, people):
    response = client.post("/inloggen/wachtwoord-vergeten/", {"email": "nobody@example.nl"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_session_expires_after_inactivity(login, people, settings):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = login(people["relatiemanager"])
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(seconds=30))
    assert client.get("/").status_code == 200
    # Activity moves the end of the session forward by the idle period ...
    renewed = Session.objects.get(pk=key).expire_date
    idle = dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert renewed > timezone.now() + idle - dt.timedelta(minutes=1)
    # ... and once the idle period has passed, the person must log in again.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/inloggen/")


def test_logout_is_post_only(login, people):
    client = login(people["relatiemanager"])
    assert client.get("/uitloggen/").status_code == 405
    assert client.post("/uitloggen/").status_code == 302
    assert client.get("/").status_code == 302


def test_profile_saves_language_and_absence(login, people):
    client = login(people["relatiemanager"])
    response = client.post(
        "/profiel/", {"form": "profile", "email": "sanne@example.nl", "preferred_language": "en"}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    bad = client.post(
        "/profiel/", {"form": "away", "away_from": "10-12-2026", "away_until": "01-12-2026"}
    )
    assert bad.status_code == 200
    assert (
        client.post(
            "/profiel/", {"form": "away", "away_from": "01-12-2026", "away_until": "10-12-2026"}
        ).status_code
        == 302
    )
    people["relatiemanager"].staff.refresh_from_db()
    assert str(people["relatiemanager"].staff.away_until) == "2026-12-10"
