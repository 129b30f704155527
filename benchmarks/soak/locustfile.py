"""A working day at region scale for Locust (issue 10): who does what, through the web UI.

Run by scripts/soak.sh (``make soak``) against gunicorn on a seeded PostgreSQL; by hand:

    SOAK_ACCOUNTS=accounts.json .venv/bin/locust -f benchmarks/soak/locustfile.py \
        --host http://127.0.0.1:8765 --headless -u 50 -r 5 -t 5m --csv out/steady

The mix (weights of the user classes): relationship managers 60 % (search employers and
candidates, open an employer's 360° page, log a contact moment through the form, open the
matching suggestions of a work opportunity, their task list), team leads 10 % (the dashboard,
a KPI, the team overview, the contact-norm list), employer contacts 20 % in the employer
portal and candidates 10 % in their portal. Everyone pauses 2 to 6 seconds between clicks.

Staff log in with their password and a TOTP code computed here from the device key that
``soakdb.py accounts`` provisioned; portal users with their password. Each simulated
workstation has its own address (``X-Forwarded-For``; the soak runs gunicorn with
``WERKBRUG_TRUSTED_PROXIES=1``, as behind a reverse proxy), so per-address log-in limits count
per person, as they would in an office.

Every request is named by its type (``ROUTES``), so Locust's statistics group by type; the test
tests/core/test_soak_scenario.py checks that each route resolves in the URL conf.

Environment:
  SOAK_ACCOUNTS  the JSON written by ``soakdb.py accounts`` (required)
  SOAK_RUN       a short name for the run, part of every contact-moment marker (default "run")
  SOAK_EVENTS    when set, a CSV with one row per request (start, end, type, outcome): the
                 fault report reads the outage and the recovery from it
  SOAK_MARKERS   when set, a CSV with one row per contact-moment save: its marker and whether
                 the answer said it was saved; ``soakdb.py verify`` looks for each in the database
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, TextIO

from locust import HttpUser, between, events, task

#: Every request the scenario makes: type (the name the statistics group by) -> (route name in
#: the URL conf, path). ``{uuid}`` and ``{code}`` are filled from links on earlier pages.
ROUTES: dict[str, tuple[str, str]] = {
    "log-in page": ("accounts:login", "/inloggen/"),
    "log in": ("accounts:login", "/inloggen/"),
    "two-factor page": ("accounts:verify", "/inloggen/verificatie/"),
    "two-factor code": ("accounts:verify", "/inloggen/verificatie/"),
    "home": ("home", "/"),
    # Relationship managers
    "employer search": ("employers:list", "/werkgevers/"),
    "employer 360 page": ("employers:detail", "/werkgevers/{uuid}/"),
    "contact form": ("employers:contact", "/werkgevers/{uuid}/contact/"),
    "contact save": ("employers:contact", "/werkgevers/{uuid}/contact/"),
    "candidate search": ("candidates:caseload", "/kandidaten/"),
    "candidate page": ("candidates:detail", "/kandidaten/{uuid}/"),
    "work opportunities": ("employers:opportunities", "/werkkansen/"),
    "matching suggestions": ("matching:suggestions", "/werkkansen/{uuid}/suggesties/"),
    "my tasks": ("employers:tasks", "/taken/"),
    # Team leads
    "dashboard": ("monitoring:dashboard", "/sturing/"),
    "KPI page": ("monitoring:kpi", "/sturing/kpi/{code}/"),
    "team overview": ("regions:team", "/team/"),
    "contact-norm list": ("employers:norm_overdue", "/werkgevers/contactnorm/"),
    # Employer portal
    "employer portal": ("employers:portal", "/mijn-bedrijf/"),
    "employer portal: work": ("employers:portal_work", "/mijn-bedrijf/werk/"),
    "employer portal: opportunity": ("employers:portal_opportunity", "/mijn-bedrijf/werk/{uuid}/"),
    "employer portal: candidates": ("candidates:employer_shared", "/mijn-bedrijf/kandidaten/"),
    "employer portal: candidate": (
        "candidates:employer_shared_detail",
        "/mijn-bedrijf/kandidaten/{uuid}/",
    ),
    "employer portal: proposals": ("matching:portal_proposals", "/portaal/werkgever/voorgesteld/"),
    "employer portal: placements": ("placements:portal_employer", "/mijn-bedrijf/plaatsingen/"),
    # Candidate portal
    "candidate portal": ("candidates:portal", "/mijn-profiel/"),
    "candidate portal: appointments": (
        "candidates:portal_appointments",
        "/mijn-profiel/afspraken/",
    ),
    "candidate portal: consent": ("candidates:portal_consent", "/mijn-profiel/toestemming/"),
    "candidate portal: work": ("placements:portal_candidate", "/mijn-werk/"),
}

#: The fields of the contact-moment form the scenario fills in (the rest stay empty, as when a
#: relationship manager logs a quick phone call). The test checks they are the form's fields.
CONTACT_FIELDS = ("date", "channel", "contact_person", "notes")
CHANNELS = ("telefoon", "email", "bezoek_afspraak", "bezoek_onaangekondigd")
NOTES = (
    "Gebeld over de openstaande vacature; volgende week terugbellen.",
    "Kort bezoek: ze zoeken iemand voor het magazijn, liefst met rijbewijs.",
    "Mail gestuurd met de mogelijkheden voor een proefplaatsing.",
    "Gesproken over loonkostensubsidie en de begeleiding door een jobcoach.",
)
EMPLOYER_TERMS = (
    "bakkerij", "bouw", "zorg", "logistiek", "thuiszorg", "super", "groothandel", "transport",
    "café", "Nijmegen", "Wijchen", "Malden", "Beuningen", "Groesbeek", "hoeve", "verhuur",
)  # fmt: skip
CANDIDATE_TERMS = (
    "Ruben", "Daan", "Omar", "Nadia", "Jan", "Yasmina", "Kaya", "Jansen", "de Boer",
    "magazijn", "schoonmaak", "zorg", "kok", "chauffeur",
)  # fmt: skip

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOTP_STEP = 30


def totp(key_hex: str, at: float) -> str:
    """The six-digit TOTP code (RFC 6238: HMAC-SHA1, 30-second steps) for a hex device key."""
    counter = int(at) // TOTP_STEP
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def links(html: str, prefix: str) -> list[str]:
    """The UUIDs of the links ``<prefix><uuid>/`` on a page, in order, without repeats."""
    found = re.findall(rf'href="{re.escape(prefix)}({UUID})/"', html)
    return list(dict.fromkeys(found))


def contact_marker(run: str, user_number: int, seq: int) -> str:
    """The unique start of a saved contact moment's notes (``soakdb.MARKER_PREFIX``)."""
    return f"[soak:{run}:{user_number:03d}:{seq:05d}]"


def classify(response: Any) -> str:
    """How a failed answer looked to the person: the site's error page, a bare server error, a
    traceback (never acceptable), or no answer at all."""
    status = getattr(response, "status_code", 0) or 0
    if status == 0:
        error = getattr(response, "error", None)
        return f"no answer ({type(error).__name__ if error else 'connection error'})"
    text = getattr(response, "text", "") or ""
    if "Traceback (most recent call last)" in text or 'File "/' in text:
        return f"HTTP {status} showing a traceback"
    location = response.headers.get("Location", "") if hasattr(response, "headers") else ""
    if status == 302 and location.startswith("/inloggen/"):
        return f"HTTP 302 to {location.split('?')[0]} (logged out)"
    page = "the site's error page" if 'class="page-kicker"' in text else "a bare page"
    return f"HTTP {status} with {page}" if status >= 500 else f"unexpected HTTP {status} ({page})"


# --- Output files for the fault report ---------------------------------------------------


class _Recorder:
    """Appends request and save outcomes to the CSV files named in the environment."""

    def __init__(self) -> None:
        self.events: tuple[TextIO, Any] | None = None
        self.markers: tuple[TextIO, Any] | None = None

    def open(self) -> None:
        for attr, var, header in (
            (
                "events",
                "SOAK_EVENTS",
                ["started", "ended", "type", "method", "status", "ok", "outcome"],
            ),
            ("markers", "SOAK_MARKERS", ["marker", "outcome", "status", "time"]),
        ):
            path = os.environ.get(var)
            if path and getattr(self, attr) is None:
                handle = Path(path).open("w", newline="")  # noqa: SIM115 - open all run
                writer = csv.writer(handle)
                writer.writerow(header)
                setattr(self, attr, (handle, writer))

    def close(self) -> None:
        for attr in ("events", "markers"):
            pair = getattr(self, attr)
            if pair is not None:
                pair[0].close()
                setattr(self, attr, None)

    def request(self, row: list[Any]) -> None:
        if self.events is not None:
            self.events[1].writerow(row)

    def save(self, row: list[Any]) -> None:
        if self.markers is not None:
            self.markers[1].writerow(row)
            self.markers[0].flush()


RECORDER = _Recorder()


@events.test_start.add_listener
def _on_test_start(**_kwargs: Any) -> None:
    RECORDER.open()


@events.quitting.add_listener
def _on_quitting(**_kwargs: Any) -> None:
    RECORDER.close()


@events.request.add_listener
def _on_request(
    request_type: str,
    name: str,
    response_time: float,
    response: Any = None,
    exception: Any = None,
    start_time: float | None = None,
    **_kwargs: Any,
) -> None:
    started = start_time or time.time() - response_time / 1000
    status = getattr(response, "status_code", 0) or 0
    outcome = "ok" if exception is None else classify(response)
    RECORDER.request(
        [
            f"{started:.3f}",
            f"{started + response_time / 1000:.3f}",
            name,
            request_type,
            status,
            int(exception is None),
            outcome,
        ]
    )


# --- The users ------------------------------------------------------------------------------

_accounts: dict[str, Any] | None = None
_numbers: dict[str, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
_last_step: dict[str, int] = {}  # TOTP step last used per account: a code counts only once


def accounts() -> dict[str, Any]:
    global _accounts
    if _accounts is None:
        _accounts = json.loads(Path(os.environ["SOAK_ACCOUNTS"]).read_text())
    return _accounts


class WerkbrugUser(HttpUser):
    abstract = True
    wait_time = between(2, 6)
    kind = ""  # key in the accounts file
    subnet = 0  # third-from-last byte of the workstation addresses of this kind

    def on_start(self) -> None:
        self.number = next(_numbers[self.kind])
        pool = accounts()["accounts"][self.kind]
        self.account = pool[(self.number - 1) % len(pool)]
        high, low = divmod(self.number, 250)
        self.client.headers["X-Forwarded-For"] = f"10.{self.subnet}.{high}.{low + 1}"
        self.logged_in = False
        self.log_in()

    # -- requests

    def visit(
        self,
        name: str,
        *,
        method: str = "GET",
        expect: tuple[int, ...] = (200,),
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        **parts: str,
    ) -> Any:
        """One request of a named type; returns the response if it had an expected status."""
        path = ROUTES[name][1].format(**parts)
        with self.client.request(
            method,
            path,
            name=name,
            params=params,
            data=data,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in expect:
                response.success()
                return response
            response.failure(classify(response))
            if response.status_code == 302 and "/inloggen/" in response.headers.get("Location", ""):
                self.logged_in = False
            return None

    def page(self, name: str, **parts: str) -> str:
        """A page the user reads; empty when it failed."""
        response = self.visit(name, **parts)
        return response.text if response is not None else ""

    # -- log-in

    def log_in(self) -> None:
        self.client.cookies.clear()
        form = self.visit("log-in page")
        if form is None or not (token := CSRF.search(form.text)):
            return
        done = self.visit(
            "log in",
            method="POST",
            expect=(302,),
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": self.account["username"],
                "password": accounts()["password"],
            },
        )
        if done is None:
            return
        if "totp_key" in self.account and not self.second_factor():
            return
        self.logged_in = True

    def second_factor(self) -> bool:
        form = self.visit("two-factor page")
        if form is None or not (token := CSRF.search(form.text)):
            return False
        username = self.account["username"]
        # A code is accepted once: wait for the next step if this account used the current one.
        while (step := int(time.time()) // TOTP_STEP) <= _last_step.get(username, -1):
            time.sleep(TOTP_STEP - time.time() % TOTP_STEP + 0.2)
        _last_step[username] = step
        done = self.visit(
            "two-factor code",
            method="POST",
            expect=(302,),
            data={
                "csrfmiddlewaretoken": token.group(1),
                "token": totp(self.account["totp_key"], time.time()),
            },
        )
        return done is not None

    def ensure_logged_in(self) -> bool:
        if not self.logged_in:
            self.log_in()
        return self.logged_in


class RelationshipManager(WerkbrugUser):
    weight = 6
    kind = "relationship_manager"
    subnet = 21

    def on_start(self) -> None:
        self.employers: list[str] = []
        self.candidates: list[str] = []
        self.opportunities: list[str] = []
        self.saves = itertools.count(1)
        super().on_start()

    @task(4)
    def search_employers(self) -> None:
        if not self.ensure_logged_in():
            return
        html = self.visit("employer search", params={"q": random.choice(EMPLOYER_TERMS)})
        found = links(html.text, "/werkgevers/") if html is not None else []
        if found:
            self.employers = found
        if self.employers:
            self.page("employer 360 page", uuid=random.choice(self.employers))

    @task(3)
    def open_employer(self) -> None:
        if not self.ensure_logged_in():
            return
        if not self.employers:
            self.search_employers()
            return
        self.page("employer 360 page", uuid=random.choice(self.employers))

    @task(2)
    def log_contact(self) -> None:
        if not self.ensure_logged_in() or not self.employers:
            return
        employer = random.choice(self.employers)
        form = self.visit("contact form", uuid=employer)
        if form is None or not (token := CSRF.search(form.text)):
            return
        date = re.search(r'name="date" value="([0-9-]+)"', form.text)
        select = re.search(r'name="contact_person".*?</select>', form.text, re.S)
        people = re.findall(rf'value="({UUID})"', select.group(0)) if select else []
        marker = contact_marker(os.environ.get("SOAK_RUN", "run"), self.number, next(self.saves))
        time.sleep(random.uniform(3, 8))  # typing the notes
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "date": date.group(1) if date else time.strftime("%Y-%m-%d"),
            "channel": random.choice(CHANNELS),
            "contact_person": random.choice(people) if people else "",
            "notes": f"{marker} {random.choice(NOTES)}",
        }
        saved = self.visit("contact save", method="POST", expect=(302,), data=data, uuid=employer)
        ok = saved is not None and saved.headers.get("Location", "").rstrip("/").endswith(employer)
        status = saved.status_code if saved is not None else "error"
        RECORDER.save([marker, "saved" if ok else "error", status, f"{time.time():.3f}"])
        if ok:
            self.page("employer 360 page", uuid=employer)

    @task(3)
    def search_candidates(self) -> None:
        if not self.ensure_logged_in():
            return
        html = self.visit("candidate search", params={"q": random.choice(CANDIDATE_TERMS)})
        found = links(html.text, "/kandidaten/") if html is not None else []
        if found:
            self.candidates = found
            self.page("candidate page", uuid=random.choice(found))

    @task(2)
    def suggestions(self) -> None:
        if not self.ensure_logged_in():
            return
        if not self.opportunities or random.random() < 0.2:
            found = links(self.page("work opportunities"), "/werkkansen/")
            self.opportunities = found or self.opportunities
        if self.opportunities:
            self.page("matching suggestions", uuid=random.choice(self.opportunities))

    @task(1)
    def tasks_and_home(self) -> None:
        if not self.ensure_logged_in():
            return
        self.page(random.choice(("my tasks", "home")))


class TeamLead(WerkbrugUser):
    weight = 1
    kind = "team_lead"
    subnet = 22

    def on_start(self) -> None:
        self.kpis: list[str] = []
        super().on_start()

    @task(4)
    def dashboard(self) -> None:
        if not self.ensure_logged_in():
            return
        html = self.page("dashboard")
        self.kpis = list(dict.fromkeys(re.findall(r'href="/sturing/kpi/([A-Za-z0-9_-]+)/"', html)))
        if self.kpis:
            self.page("KPI page", code=random.choice(self.kpis))

    @task(2)
    def team(self) -> None:
        if self.ensure_logged_in():
            self.page("team overview")

    @task(1)
    def contact_norm(self) -> None:
        if self.ensure_logged_in():
            self.page("contact-norm list")

    @task(1)
    def home(self) -> None:
        if self.ensure_logged_in():
            self.page("home")


class EmployerContact(WerkbrugUser):
    weight = 2
    kind = "employer"
    subnet = 23

    @task(3)
    def portal(self) -> None:
        if not self.ensure_logged_in():
            return
        found = links(self.page("employer portal"), "/mijn-bedrijf/werk/")
        if found:
            self.page("employer portal: opportunity", uuid=random.choice(found))

    @task(2)
    def work(self) -> None:
        if self.ensure_logged_in():
            self.page("employer portal: work")

    @task(2)
    def candidates(self) -> None:
        if not self.ensure_logged_in():
            return
        found = links(self.page("employer portal: candidates"), "/mijn-bedrijf/kandidaten/")
        if found:
            self.page("employer portal: candidate", uuid=random.choice(found))

    @task(1)
    def proposals(self) -> None:
        if self.ensure_logged_in():
            self.page("employer portal: proposals")

    @task(1)
    def placements(self) -> None:
        if self.ensure_logged_in():
            self.page("employer portal: placements")


class Candidate(WerkbrugUser):
    weight = 1
    kind = "candidate"
    subnet = 24

    @task(3)
    def profile(self) -> None:
        if self.ensure_logged_in():
            self.page("candidate portal")

    @task(1)
    def appointments(self) -> None:
        if self.ensure_logged_in():
            self.page("candidate portal: appointments")

    @task(1)
    def consent(self) -> None:
        if self.ensure_logged_in():
            self.page("candidate portal: consent")

    @task(1)
    def work(self) -> None:
        if self.ensure_logged_in():
            self.page("candidate portal: work")
