"""Demo data for the organisation model: the real Rijk van Nijmegen region with its seven
municipalities (and the ones they were formed from), the Werktop pilot municipalities as a
second region, their organisations and teams, staff, and one demo log-in per role."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from werkbrug.accounts import services as account_services
from werkbrug.accounts.models import User
from werkbrug.core.roles import Role
from werkbrug.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from werkbrug.demo.names import FIRST_NAMES, LAST_NAMES
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team

# (name, CBS code) — CBS gemeentecodes.
RIJK_VAN_NIJMEGEN = [
    ("Nijmegen", "GM0268"),
    ("Berg en Dal", "GM1945"),
    ("Beuningen", "GM0209"),
    ("Druten", "GM0225"),
    ("Heumen", "GM0252"),
    ("Mook en Middelaar", "GM0944"),
    ("Wijchen", "GM0296"),
]
# Merged away: Millingen aan de Rijn and Ubbergen joined Groesbeek on 1 January 2015 (the
# MUG-gemeenten of the Werktop pilot); Groesbeek was renamed Berg en Dal on 1 January 2016.
FORMER = [
    ("Millingen aan de Rijn", "GM0265", dt.date(2015, 1, 1)),
    ("Ubbergen", "GM0282", dt.date(2015, 1, 1)),
    ("Groesbeek", "GM0241", dt.date(2016, 1, 1)),
]
WERKTOP = [
    ("Zaanstad", "GM0479"),
    ("Purmerend", "GM0439"),
    ("Lansingerland", "GM1621"),
    ("Hilversum", "GM0402"),
    ("Doetinchem", "GM0222"),
]


def _municipality(
    ctx: SeedContext, region: Region, name: str, code: str | None, **kw: object
) -> Municipality:
    return Municipality.objects.create(
        uuid=ctx.uuid(), region=region, name=name, cbs_code=code, **kw
    )


def _organisation(
    ctx: SeedContext, region: Region, name: str, kind: str, **kw: object
) -> Organisation:
    return Organisation.objects.create(uuid=ctx.uuid(), region=region, name=name, kind=kind, **kw)


def _person(ctx: SeedContext) -> tuple[str, str]:
    return ctx.rng.choice(FIRST_NAMES), ctx.rng.choice(LAST_NAMES)


def _username(first: str, last: str, taken: set[str]) -> str:
    compact = last.replace(" ", "").replace("'", "")
    base = f"{first[0]}.{compact}".lower()
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


@seeder(order=10, name="regions")
def seed_regions(ctx: SeedContext) -> None:
    rvn = Region.objects.create(uuid=ctx.uuid(), name="Rijk van Nijmegen", code="RVN")
    munis = {name: _municipality(ctx, rvn, name, code) for name, code in RIJK_VAN_NIJMEGEN}
    former = {
        name: _municipality(ctx, rvn, name, code, ended_on=ended) for name, code, ended in FORMER
    }
    former["Groesbeek"].composed_of.set([former["Millingen aan de Rijn"], former["Ubbergen"]])
    munis["Berg en Dal"].composed_of.set([former["Groesbeek"]])
    rvn.centrumgemeente = munis["Nijmegen"]
    rvn.save()

    werktop = Region.objects.create(uuid=ctx.uuid(), name="Werktop-gemeenten", code="WERKTOP")
    wt_munis = {name: _municipality(ctx, werktop, name, code) for name, code in WERKTOP}
    mug = _municipality(
        ctx,
        werktop,
        "MUG-gemeenten",
        None,
        kind=Municipality.Kind.COOPERATION,
        ended_on=dt.date(2015, 1, 1),
    )
    mug.composed_of.set(former.values())
    werktop.centrumgemeente = wt_munis["Zaanstad"]
    werktop.save()

    # Organisations of the Rijk van Nijmegen.
    werkbedrijf = _organisation(
        ctx,
        rvn,
        "WerkBedrijf Rijk van Nijmegen",
        Organisation.Kind.WERKBEDRIJF,
        email="info@werkbedrijf.example.nl",
        phone="+31243299999",
    )
    werkbedrijf.serves.set(munis.values())
    wsp = _organisation(ctx, rvn, "Werkgeversservicepunt Rijk van Nijmegen", Organisation.Kind.WSP)
    wsp.serves.set(munis.values())
    uwv = _organisation(ctx, rvn, "UWV Nijmegen", Organisation.Kind.UWV)
    uwv.serves.set(munis.values())
    breed = _organisation(ctx, rvn, "Breed (SW-bedrijf)", Organisation.Kind.SW_COMPANY)
    breed.serves.set(munis.values())
    gemeenten = {
        name: _organisation(
            ctx, rvn, f"Gemeente {name}", Organisation.Kind.MUNICIPALITY, municipality=m
        )
        for name, m in munis.items()
    }
    teams = {
        "bdv": Team.objects.create(
            uuid=ctx.uuid(), organisation=werkbedrijf, name="Bedrijfsdienstverlening"
        ),
        "intake": Team.objects.create(
            uuid=ctx.uuid(), organisation=werkbedrijf, name="Intake en diagnose"
        ),
        "wi_nijmegen": Team.objects.create(
            uuid=ctx.uuid(),
            organisation=gemeenten["Nijmegen"],
            name="Werk en Inkomen",
            municipality=munis["Nijmegen"],
        ),
        "uwv": Team.objects.create(
            uuid=ctx.uuid(), organisation=uwv, name="Werkgeversdienstverlening"
        ),
    }
    # Werktop organisations: the municipalities did the work themselves, with an adviser.
    wt_orgs = [
        _organisation(
            ctx, werktop, f"Gemeente {name}", Organisation.Kind.MUNICIPALITY, municipality=m
        )
        for name, m in wt_munis.items()
    ]
    _organisation(ctx, werktop, "Van Amstel Advies", Organisation.Kind.PROVIDER)
    wt_teams = [
        Team.objects.create(
            uuid=ctx.uuid(),
            organisation=org,
            name=f"Relatiemanagers {org.municipality}",
            municipality=org.municipality,
        )
        for org in wt_orgs
    ]
    ctx.shared.update(
        regions=[rvn, werktop],
        municipalities=list(munis.values()),
        werktop_municipalities=list(wt_munis.values()),
        werkbedrijf=werkbedrijf,
        uwv=uwv,
        gemeenten=gemeenten,
        teams=teams,
        werktop_teams=wt_teams,
    )
    ctx.say(f"Regio's: {rvn} (7 gemeenten, 3 voormalige) en {werktop}.")


@seeder(order=20, name="staff")
def seed_staff(ctx: SeedContext) -> None:
    munis: list[Municipality] = ctx.shared["municipalities"]
    werkbedrijf: Organisation = ctx.shared["werkbedrijf"]
    teams: dict[str, Team] = ctx.shared["teams"]
    taken = set(User.objects.values_list("username", flat=True))

    def add_staff(
        first: str,
        last: str,
        *,
        org: Organisation,
        municipality: Municipality,
        team: Team | None,
        roles: set[str],
        title: str,
        username: str | None = None,
        demo: bool = False,
    ) -> Staff:
        username = username or _username(first, last, taken)
        user = account_services.create_user(
            username=username,
            email=f"{username}@werkbrug.example.nl",
            first_name=first,
            last_name=last,
            roles=roles,
            password=DEMO_PASSWORD if demo else None,
            is_demo=demo,
        )
        return Staff.objects.create(
            uuid=ctx.uuid(),
            user=user,
            organisation=org,
            municipality=municipality,
            team=team,
            job_title=title,
        )

    # Colleagues in the Bedrijfsdienstverlening team, spread over the municipalities.
    colleagues = []
    for index in range(ctx.size(demo=8, region=40, national=40)):
        first, last = _person(ctx)
        colleagues.append(
            add_staff(
                first,
                last,
                org=werkbedrijf,
                municipality=munis[index % len(munis)],
                team=teams["bdv"],
                roles={Role.RELATIONSHIP_MANAGER},
                title=ctx.rng.choice(
                    ["Consulent BDV", "Senior consulent BDV", "Commercieel manager"]
                ),
            )
        )
    for index in range(ctx.size(demo=4, region=25, national=25)):
        first, last = _person(ctx)
        add_staff(
            first,
            last,
            org=werkbedrijf,
            municipality=munis[index % len(munis)],
            team=teams["intake"],
            roles={Role.CLIENT_MANAGER},
            title="Consulent intake en diagnose",
        )

    by_name = {u.username: u for u in DEMO_USERS}
    staff_specs = {
        "teamleider": (werkbedrijf, munis[0], teams["bdv"], "Teamleider Bedrijfsdienstverlening"),
        "relatiemanager": (werkbedrijf, munis[0], teams["bdv"], "Consulent BDV"),
        "klantmanager": (
            ctx.shared["gemeenten"]["Wijchen"],
            munis[6],
            None,
            "Klantmanager Werk en Inkomen",
        ),
        "onderzoeker": (ctx.shared["gemeenten"]["Nijmegen"], munis[0], None, "Beleidsonderzoeker"),
        "beheerder": (werkbedrijf, munis[0], None, "Functioneel beheerder"),
        "uwv": (ctx.shared["uwv"], munis[0], teams["uwv"], "Adviseur werkgeversdienstverlening"),
    }
    created: dict[str, Staff] = {}
    for username, (org, municipality, team, title) in staff_specs.items():
        spec = by_name[username]
        created[username] = add_staff(
            spec.first_name,
            spec.last_name,
            org=org,
            municipality=municipality,
            team=team,
            roles={spec.role},
            title=title,
            username=username,
            demo=True,
        )
        taken.add(username)
    for username in ("werkgever", "kandidaat"):
        spec = by_name[username]
        account_services.create_user(
            username=username,
            email=f"{username}@demo.werkbrug.example.nl",
            first_name=spec.first_name,
            last_name=spec.last_name,
            roles={spec.role},
            password=DEMO_PASSWORD,
            is_demo=True,
        )

    lead = created["teamleider"]
    teams["bdv"].lead = lead
    teams["bdv"].save()
    # One face with a named backup: every relationship manager has a substitute in the team,
    # and one colleague is away this week so the team lead sees the cover at work.
    rm = created["relatiemanager"]
    rm.substitute = colleagues[0]
    rm.save()
    for index, colleague in enumerate(colleagues):
        colleague.substitute = (
            colleagues[(index + 1) % len(colleagues)] if len(colleagues) > 1 else rm
        )
        colleague.save()
    away = colleagues[1] if len(colleagues) > 1 else colleagues[0]
    away.away_from = dt.date.today() - dt.timedelta(days=2)
    away.away_until = dt.date.today() + dt.timedelta(days=5)
    away.save()

    # Werktop relationship managers, one or two per municipality.
    for team in ctx.shared["werktop_teams"]:
        for _n in range(ctx.rng.randint(1, 2)):
            first, last = _person(ctx)
            add_staff(
                first,
                last,
                org=team.organisation,
                municipality=team.municipality,
                team=team,
                roles={Role.RELATIONSHIP_MANAGER},
                title="Relatiemanager Werktop",
            )
    ctx.shared["demo_staff"] = created
    ctx.say(f"Medewerkers: {Staff.objects.count()}, demo-accounts: {len(DEMO_USERS)}.")
    if not settings.DEMO:
        ctx.say("Let op: demo-accounts werken alleen met WERKBRUG_DEMO=1.")


@seeder(order=15, name="national-regions")
def seed_national_regions(ctx: SeedContext) -> None:
    """At national scale: the other labour-market regions, with synthetic municipalities
    (bulk-created for speed; one summary entry in the change log)."""
    if ctx.scale != "national":
        return
    from werkbrug.core import audit

    regions = Region.objects.bulk_create(
        Region(uuid=ctx.uuid(), name=f"Arbeidsmarktregio {n:02d}", code=f"AMR{n:02d}")
        for n in range(3, 36)
    )
    code = 5000
    municipalities = []
    for region in regions:
        for index in range(10):
            code += 1
            municipalities.append(
                Municipality(
                    uuid=ctx.uuid(),
                    region=region,
                    name=f"{region.code} gemeente {index + 1}",
                    cbs_code=f"GM{code}",
                )
            )
    Municipality.objects.bulk_create(municipalities, batch_size=1000)
    audit.record_summary(
        regions[0],
        note=f"seed-demo national: {len(regions)} regions, {len(municipalities)} municipalities",
    )
    ctx.say(f"Landelijke schaal: {len(regions)} extra regio's, {len(municipalities)} gemeenten.")
