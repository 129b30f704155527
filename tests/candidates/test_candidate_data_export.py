"""Download my data (AVG inzage): one dict with every section, as JSON and as a readable PDF;
the BSN in full (it is the candidate's own); text outside latin-1 never breaks the PDF; every
download is written to the access log."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests_support import make_person
from werkbrug.candidates import data_export, services
from werkbrug.candidates.models import (
    Appointment,
    Candidate,
    CandidateContact,
    ConsentChannel,
    ConsentScope,
    HealthProfile,
    WorkExperience,
)
from werkbrug.core import access
from werkbrug.core.bsn import protect_bsn
from werkbrug.core.models import AccessLogEntry
from werkbrug.core.roles import Role
from werkbrug.employers.models import Employer
from werkbrug.regions.models import Staff

pytestmark = pytest.mark.django_db

BSN = "111222333"


def _candidate(place, user, first, last, bsn, **extra):
    protected = protect_bsn(bsn)
    return Candidate.objects.create(
        region=place["region"],
        municipality=place["municipalities"][0],
        user=user,
        bsn_pseudonym=protected.pseudonym,
        bsn_encrypted=protected.encrypted,
        first_name=first,
        last_name=last,
        birth_date=dt.date(1990, 5, 1),
        **extra,
    )


@pytest.fixture
def zoe(regions, people):
    own = regions["own"]
    consultant = Staff.objects.get(user=people["relatiemanager"])
    client_manager = Staff.objects.get(user=people["klantmanager"])
    candidate = _candidate(
        own,
        people["kandidaat"],
        "Zoë",
        "Hendriks-Çelik",
        BSN,
        talents="Zorgvuldig, geduldig en creatief. Ik help graag één ander.",
        street="Kronenburgersingel 3",
        postcode="6511 AB",
        city="Nijmegen",
        client_manager=client_manager,
        consultant=consultant,
    )
    actor = access.actor_for(people["relatiemanager"])
    employer = Employer.objects.create(
        region=own["region"],
        name="Café De Waag",
        municipality=own["municipalities"][0],
        owner=consultant,
    )
    share = services.grant_consent(
        candidate,
        actor=actor,
        scope=ConsentScope.SHARE_WITH_EMPLOYER,
        via=ConsentChannel.IN_PERSON,
        employer=employer,
    )
    services.withdraw_consent(share, actor=actor, via=ConsentChannel.PHONE)
    services.grant_consent(
        candidate, actor=actor, scope=ConsentScope.REGIONAL_POOL, via=ConsentChannel.LETTER
    )
    services.set_languages(candidate, actor=actor, languages=[("Nederlands", "B1")])
    WorkExperience.objects.create(candidate=candidate, role="Barista", from_year=2018, to_year=2020)
    HealthProfile.objects.create(
        candidate=candidate, has_limitation=True, limitations="Rugklachten"
    )
    CandidateContact.objects.create(
        candidate=candidate,
        at=timezone.now() - dt.timedelta(days=3),
        channel="gesprek",
        staff=consultant,
        summary="Goed gesprek over horeca.",
    )
    Appointment.objects.create(
        candidate=candidate,
        starts_at=timezone.now() + dt.timedelta(days=4),
        subject="Meeloopdag",
        location="Café De Waag",
        staff=consultant,
    )
    services.set_ladder_step(candidate, actor=access.actor_for(people["klantmanager"]), step=4)
    services.add_target_group(
        candidate, actor=access.actor_for(people["klantmanager"]), data={"group": "jongere"}
    )
    return candidate


def test_collect_holds_every_section_and_the_full_bsn(zoe, people):
    with translation.override("en"):
        data = data_export.collect(zoe, actor=access.actor_for(people["kandidaat"]))
    assert list(data["sections"]) == list(data_export.section_keys())
    details = data["sections"]["details"]["items"][0]
    assert details["Citizen service number (BSN)"] == BSN
    assert details["Name"] == "Zoë Hendriks-Çelik"
    assert details["Street and number"] == "Kronenburgersingel 3"
    sections = data["sections"]
    assert sections["languages"]["items"][0]["Language"] == "Nederlands"
    assert sections["experience"]["items"][0]["Work or role"] == "Barista"
    assert sections["health"]["items"][0]["What the employer should know"] == "Rugklachten"
    assert sections["target_groups"]["items"]
    assert sections["contacts"]["items"][0]["Summary"] == "Goed gesprek over horeca."
    assert sections["appointments"]["items"][0]["Subject"] == "Meeloopdag"
    assert sections["ladder_history"]["items"][0]["Step"].startswith("4")
    consents = sections["consents"]["items"]
    assert len(consents) == 2
    withdrawn = next(c for c in consents if c["Employer"] == "Café De Waag")
    assert withdrawn["In force"] is False
    assert withdrawn["Withdrawn at"] is not None
    assert withdrawn["Withdrawn how"] == "Phone"


def test_the_json_download(zoe, people, login):
    client = login(people["kandidaat"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("candidates:portal_export_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    raw = response.content.decode("utf-8")
    assert "Zoë" in raw  # UTF-8, not \u escapes
    data = json.loads(raw)
    assert set(data["sections"]) == set(data_export.section_keys())
    assert data["sections"]["details"]["items"][0]["Citizen service number (BSN)"] == BSN
    birth = data["sections"]["details"]["items"][0]["Date of birth"]
    assert birth == "1990-05-01"
    dt.datetime.fromisoformat(data["generated_at"])
    for key in data_export.section_keys():
        assert "title" in data["sections"][key] and "items" in data["sections"][key]


def test_the_pdf_download(zoe, people, login):
    client = login(people["kandidaat"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("candidates:portal_export_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"%PDF")
    text = _pdf_text(body)
    if text is not None:
        assert "Zoë Hendriks-Çelik" in text
        assert BSN in text
        assert "Page 1 of" in text
        assert "Rugklachten" in text
    else:  # no pdftotext: Helvetica writes latin-1 text into the (compressed) page stream
        assert b"/Helvetica" in body


def test_an_export_is_written_to_the_access_log(zoe, people, login):
    client = login(people["kandidaat"])
    client.get(reverse("candidates:portal_export_json"))
    client.get(reverse("candidates:portal_export_pdf"))
    entries = AccessLogEntry.objects.filter(object_uuid=zoe.uuid, action="export")
    assert entries.count() == 2
    entry = entries.first()
    assert entry.purpose == "AVG inzage"
    assert entry.user == people["kandidaat"]


def test_text_outside_latin1_does_not_break_the_pdf(regions, people):
    user = make_person("kandidaat_ar", Role.CANDIDATE, None)
    candidate = _candidate(
        regions["own"],
        user,
        "مريم",
        "Ödegaard 😀",
        "123456782",
        talents="Ik kan goed koken 🍲 — en “plannen”. Łódź, Ελληνικά, 中文.",
    )
    data = data_export.collect(candidate, actor=access.actor_for(user))
    body = data_export.as_pdf(data)
    assert body.startswith(b"%PDF")
    assert "مريم" in data_export.as_json(data).decode("utf-8")
    text = _pdf_text(body)
    if text is not None:
        assert "Ödegaard ?" in text
        assert "????" in text


def test_pdf_safe_keeps_latin1_and_replaces_the_rest():
    assert data_export.pdf_safe("Zoë Çelik, café, ñ, ß") == "Zoë Çelik, café, ñ, ß"
    assert data_export.pdf_safe("“quote” – dash… €5") == '"quote" - dash... EUR5'
    assert data_export.pdf_safe("Łódź") == "?ódz"
    assert data_export.pdf_safe("Čapek") == "Capek"
    assert data_export.pdf_safe("😀 مريم") == "? ????"
    assert data_export.pdf_safe("a\tb\x00c") == "a b c"
    data_export.pdf_safe("".join(chr(i) for i in range(0, 0x3000))).encode("latin-1")


def test_another_candidate_is_never_in_the_export(zoe, regions, people):
    other_user = make_person("kandidaat_twee", Role.CANDIDATE, None)
    other = _candidate(regions["own"], other_user, "Piet", "Jansen", "123456782")
    data = data_export.collect(zoe, actor=access.actor_for(people["kandidaat"]))
    assert "Piet" not in data_export.as_json(data).decode("utf-8")
    with pytest.raises(Candidate.DoesNotExist):
        data_export.collect(other, actor=access.actor_for(people["kandidaat"]))


def _pdf_text(body: bytes) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")
