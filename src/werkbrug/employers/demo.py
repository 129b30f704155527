"""Demo data for the employer register: realistic employers of the Rijk van Nijmegen.

Two parts, both deterministic per seed (every random choice and every public id comes from
``ctx.rng`` / ``ctx.uuid()``):

* **The showcase** (every scale, about 120 employers and 1,500 contact moments): a regional
  sector mix with real postcode ranges, two years of contact history ending today, agreed
  actions (some due today and overdue for the demo relationship manager), questions (open,
  answered, overdue, passed on to another department), work opportunities in every status
  with their history, ambassadors, prospects without contact and one pair of likely
  duplicates for the merge tool. The demo log-in ``werkgever`` (Henk Willems) is the contact
  person of *Hoveniersbedrijf Willems* in Wijchen. Employers and contact persons are
  registered through the services (validated and in the change log); the history, which
  needs past dates and seeded ids, is written directly.
* **The filler** (region and national scale): ``bulk_employers`` adds employers with the same
  kind of history in chunks (``bulk_create``; contact moments and the staff present through
  PostgreSQL's ``COPY`` where available) and writes one summary entry in the change log. At
  national scale that is 50,000 employers with 1,000,000 contact moments, about two minutes on
  PostgreSQL (the employer benchmark, ``benchmarks/bench_employers.py``, calls it directly).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from werkbrug.core import access, audit
from werkbrug.core.roles import Role
from werkbrug.demo.names import FIRST_NAMES, LAST_NAMES
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.employers import services
from werkbrug.employers.models import (
    Action,
    Channel,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerPolicy,
    EmployerQuestion,
    OpportunityKind,
    OpportunityStatus,
    OpportunityStatusChange,
    Phase,
    SizeClass,
    Source,
    WorkOpportunity,
)
from werkbrug.employers.norms import Norm, add_working_days
from werkbrug.regions.models import Municipality, Region, Staff
from werkbrug.taxonomy.curated import occupation_uri
from werkbrug.taxonomy.models import Occupation, Skill
from werkbrug.taxonomy.models import Source as TaxonomySource

UTC = dt.UTC
HISTORY_DAYS = 730  # two years of contact history, ending today

# --- The region: places, postcodes and streets per municipality ------------------------------


@dataclass(frozen=True)
class Place:
    name: str
    postcodes: tuple[str, ...]  # real four-digit postcode areas of the place
    lat: float
    lon: float
    areas: tuple[str, ...] = ()  # districts used in business names ("Sportbedrijf Dukenburg")


@dataclass(frozen=True)
class MunicipalityInfo:
    weight: int  # share of the region's employers
    places: tuple[Place, ...]
    streets: tuple[str, ...]
    business_parks: tuple[str, ...]


MUNICIPALITIES: dict[str, MunicipalityInfo] = {
    "Nijmegen": MunicipalityInfo(
        50,
        (
            Place(
                "Nijmegen",
                (
                    "6511",
                    "6512",
                    "6521",
                    "6522",
                    "6523",
                    "6524",
                    "6525",
                    "6531",
                    "6532",
                    "6533",
                    "6534",
                    "6535",
                    "6536",
                    "6537",
                    "6538",
                    "6541",
                    "6542",
                    "6543",
                    "6544",
                    "6545",
                    "6546",
                ),
                51.8426,
                5.8526,
                (
                    "Nijmegen",
                    "Nijmegen-Oost",
                    "Nijmegen-West",
                    "Dukenburg",
                    "Lindenholt",
                    "Hatert",
                    "Bottendaal",
                    "Heijendaal",
                    "Brakkenstein",
                    "Hees",
                    "Neerbosch",
                    "Lent",
                    "Oosterhout",
                    "Grootstal",
                    "Tolhuis",
                    "Weezenhof",
                ),
            ),
        ),
        (
            "Molenstraat",
            "Burchtstraat",
            "Graafseweg",
            "Sint Annastraat",
            "Groenestraat",
            "Hatertseweg",
            "Daalseweg",
            "Berg en Dalseweg",
            "Ziekerstraat",
            "Van Schevichavenstraat",
            "Dommer van Poldersveldtweg",
            "Neerbosscheweg",
            "Takenhofplein",
            "Winkelsteegseweg",
        ),
        ("Kerkenbos", "Tarweweg", "Energieweg", "Westkanaaldijk", "Microweg", "Nijverheidsweg"),
    ),
    "Wijchen": MunicipalityInfo(
        13,
        (
            Place(
                "Wijchen",
                ("6601", "6602", "6603", "6604", "6605"),
                51.8090,
                5.7250,
                ("Wijchen", "Wijchen-Zuid", "Wijchen-Noord", "Alverna", "Bijsterhuizen"),
            ),
        ),
        (
            "Nieuweweg",
            "Homberg",
            "Kasteellaan",
            "Meerstraat",
            "Ravenstraat",
            "Elsweg",
            "Graafseweg",
            "Oosterweg",
        ),
        ("Bijsterhuizen", "Touwslagersbaan", "Edisonstraat", "Newtonstraat"),
    ),
    "Berg en Dal": MunicipalityInfo(
        10,
        (
            Place("Groesbeek", ("6561", "6562"), 51.7770, 5.9350),
            Place("Berg en Dal", ("6571",), 51.8220, 5.9160),
            Place("Ubbergen", ("6574",), 51.8370, 5.9050),
            Place("Leuth", ("6575",), 51.8330, 5.9830),
            Place("Ooij", ("6576",), 51.8540, 5.9380),
        ),
        (
            "Dorpsstraat",
            "Nijmeegsebaan",
            "Molenweg",
            "Zevenheuvelenweg",
            "Rijksstraatweg",
            "Wylerbaan",
            "Kerkstraat",
            "Stekkenberg",
        ),
        ("Cranenburgsestraat", "Industrieweg", "De Horst"),
    ),
    "Beuningen": MunicipalityInfo(
        8,
        (
            Place("Beuningen", ("6641", "6642"), 51.8617, 5.7669),
            Place("Ewijk", ("6644",), 51.8686, 5.7394),
            Place("Winssen", ("6645",), 51.8725, 5.7050),
        ),
        (
            "Van Heemstraweg",
            "Schoolstraat",
            "Wilhelminastraat",
            "Kerkstraat",
            "Julianastraat",
            "Teersdijk",
        ),
        ("Ambachtsweg", "Edisonstraat", "De Heuvel"),
    ),
    "Druten": MunicipalityInfo(
        7,
        (
            Place("Druten", ("6651", "6652"), 51.8883, 5.6050),
            Place("Deest", ("6653",), 51.8900, 5.6650),
            Place("Afferden", ("6654",), 51.8810, 5.6380),
            Place("Puiflijk", ("6655",), 51.8770, 5.5880),
        ),
        ("Heuvel", "Hogeweg", "Koningin Julianastraat", "Waalbandijk", "Kattenburg", "Molenstraat"),
        ("Noord-Zuid", "Nieuwe Hogeweg", "Bijsterhuizen-Noord"),
    ),
    "Heumen": MunicipalityInfo(
        8,
        (
            Place("Malden", ("6581", "6582"), 51.7817, 5.8528),
            Place("Heumen", ("6582",), 51.7660, 5.8300),
        ),
        ("Rijksweg", "Heumensebaan", "Looistraat", "Kampweg", "Bosweg", "Kloosterhof"),
        ("Broekkant", "Rijksweg"),
    ),
    "Mook en Middelaar": MunicipalityInfo(
        4,
        (
            Place("Mook", ("6585",), 51.7530, 5.8820),
            Place("Molenhoek", ("6584",), 51.7650, 5.8720),
        ),
        ("Groesbeekseweg", "Raadhuisstraat", "Rijksweg", "Heumensebaan", "Middelweg"),
        ("Bosweg",),
    ),
}
_FALLBACK = MunicipalityInfo(
    1, (Place("", ("6500",), 51.84, 5.85),), ("Dorpsstraat", "Kerkstraat"), ("Industrieweg",)
)

# --- The sector mix ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sector:
    key: str
    weight: int  # share in the region
    names: tuple[tuple[str, str], ...]  # (pattern with {surname}, {noun} or {area}; SBI code)
    sizes: tuple[int, int, int, int]  # weights of 1-9, 10-49, 50-249, 250+
    roles: tuple[str, ...]
    titles: tuple[str, ...]
    tasks: tuple[str, ...]
    must_have: tuple[str, ...]
    schedules: tuple[str, ...]
    on_site: bool = True  # mostly at a business park rather than in a shopping street


# SBI 2008 codes (CBS) that go with each kind of business.
SECTORS: tuple[Sector, ...] = (
    Sector(
        "retail",
        17,
        (
            ("Supermarkt {surname}", "47111"),
            ("Buurtsuper {area}", "47111"),
            ("Bakkerij De {noun}", "47241"),
            ("Bakkerij {surname}", "47241"),
            ("Bloemenhuis De {noun}", "47761"),
            ("Bouwmarkt {area}", "47521"),
            ("Slagerij {surname}", "47221"),
            ("Groentespeciaalzaak {surname}", "47211"),
            ("Kringloopwinkel De {noun}", "47791"),
            ("Drogisterij {surname}", "47741"),
        ),
        (50, 35, 12, 3),
        ("eigenaar", "filiaalmanager", "bedrijfsleider", "assistent-bedrijfsleider"),
        (
            "Vakkenvuller",
            "Medewerker kassa",
            "Medewerker winkel",
            "Orderpicker online bestellingen",
            "Medewerker bakkerijafdeling",
        ),
        (
            "vakken vullen",
            "kassa bedienen",
            "rolcontainers uitpakken",
            "karton en folie afvoeren",
            "orders verzamelen",
            "houdbaarheidsdatum controleren",
            "brood afbakken",
            "prijskaartjes en schapkaartjes plaatsen",
        ),
        ("Kan vroeg beginnen (6.00 uur)", "Kan tillen tot 15 kg", "Werkt ook op zaterdag"),
        ("ma–za, ochtenden", "avonden en zaterdag", "di–za 7.00–13.00"),
        on_site=False,
    ),
    Sector(
        "hospitality",
        12,
        (
            ("Eetcafé De {noun}", "56101"),
            ("Restaurant De {noun}", "56101"),
            ("Hotel-Restaurant De {noun}", "55101"),
            ("Lunchroom De {noun}", "56102"),
            ("Brasserie {area}", "56101"),
            ("Pannenkoekenhuis De {noun}", "56101"),
            ("Café De {noun}", "56300"),
            ("Partycentrum {surname}", "56210"),
            ("Cateringbedrijf {surname}", "56210"),
        ),
        (45, 45, 9, 1),
        ("eigenaar", "bedrijfsleider", "chef-kok", "manager bediening"),
        (
            "Afwasser",
            "Keukenhulp",
            "Medewerker bediening",
            "Medewerker housekeeping",
            "Medewerker lunchroom",
        ),
        (
            "afwassen",
            "groente snijden",
            "tafels dekken",
            "tafels afruimen",
            "hotelkamers schoonmaken",
            "bedden opmaken",
            "broodjes en salades maken",
            "koffie zetten",
        ),
        ("Werkt ook in het weekend", "Kan tegen drukte", "Hygiënisch werken"),
        ("wisselende diensten, ook weekend", "middag en avond", "vr–zo 11.00–20.00"),
        on_site=False,
    ),
    Sector(
        "care",
        12,
        (
            ("Zorgcentrum De {noun}", "87101"),
            ("Woonzorgcentrum De {noun}", "87301"),
            ("Verpleeghuis De {noun}", "87101"),
            ("Thuiszorg {area}", "88101"),
            ("Dagbesteding De {noun}", "88101"),
            ("Gezinshuis De {noun}", "87902"),
        ),
        (5, 25, 45, 25),
        ("locatiemanager", "HR-adviseur", "teamleider facilitair", "coördinator vrijwilligers"),
        (
            "Gastvrouw of gastheer",
            "Medewerker facilitair",
            "Helpende activiteitenbegeleiding",
            "Medewerker linnenkamer",
            "Maaltijdassistent",
        ),
        (
            "koffie en thee rondbrengen",
            "maaltijden opwarmen en uitserveren",
            "rolstoel duwen en mensen begeleiden",
            "wasgoed sorteren",
            "textiel vouwen",
            "tafels dekken",
            "wandelingen en uitstapjes begeleiden",
            "post verwerken",
        ),
        ("Verklaring Omtrent het Gedrag (VOG)", "Geduldig en vriendelijk", "Spreekt Nederlands"),
        ("ma–vr 8.00–13.00", "ochtenden, om de week een weekend", "middagen"),
        on_site=False,
    ),
    Sector(
        "logistics",
        12,
        (
            ("Transportbedrijf {surname}", "49410"),
            ("{surname} Logistiek", "52109"),
            ("Distributiecentrum {area}", "52109"),
            ("Koeriersdienst {surname}", "53202"),
            ("Opslag en Verhuur {surname}", "52109"),
            ("Expeditiebedrijf {surname}", "52291"),
            ("Groothandel {surname}", "46390"),
        ),
        (10, 35, 40, 15),
        ("operationeel manager", "HR-manager", "teamleider warehouse", "planner"),
        (
            "Orderpicker",
            "Medewerker expeditie",
            "Bijrijder",
            "Sorteerder pakketten",
            "Heftruckchauffeur",
        ),
        (
            "orders verzamelen",
            "pakketten sorteren",
            "vrachtwagens laden en lossen",
            "retouren verwerken",
            "pallets wikkelen",
            "dagelijkse controle van de heftruck uitvoeren",
            "voorraad tellen",
            "pakketten bezorgen",
        ),
        ("Veiligheidsschoenen", "VCA-basis", "Heftruckcertificaat", "Kan tillen tot 25 kg"),
        ("tweeploegendienst 6.00–14.30 / 14.30–23.00", "ma–vr 7.00–15.30", "nachtdienst"),
    ),
    Sector(
        "construction",
        11,
        (
            ("Bouwbedrijf {surname}", "41200"),
            ("Bouwbedrijf {surname} & Zn.", "41200"),
            ("Schildersbedrijf {surname}", "43341"),
            ("Installatiebedrijf {surname}", "43221"),
            ("Stratenmakersbedrijf {surname}", "42112"),
            ("Timmerbedrijf {surname}", "43320"),
            ("Dakdekkersbedrijf {surname}", "43910"),
        ),
        (40, 40, 17, 3),
        ("eigenaar", "uitvoerder", "projectleider", "bedrijfsleider"),
        (
            "Bouwplaatsassistent",
            "Hulpstratenmaker",
            "Assistent schilder",
            "Leerling timmerman",
            "Magazijnmedewerker bouw",
        ),
        (
            "bouwplaats opruimen",
            "bouwmaterialen aanvoeren",
            "zandbed afrijen en verdichten",
            "wanden schuren en plamuren",
            "steigers opbouwen en afbreken",
            "afval scheiden",
            "hout zagen en schaven",
            "goederen ontvangen en controleren",
        ),
        ("VCA-basis", "Veiligheidsschoenen", "Rijbewijs B"),
        ("ma–vr 7.00–16.00", "ma–do 7.00–17.00"),
    ),
    Sector(
        "agriculture",
        9,
        (
            ("Hoveniersbedrijf {surname}", "81300"),
            ("Boomkwekerij {surname}", "01300"),
            ("Fruitteeltbedrijf {surname}", "01240"),
            ("Kwekerij De {noun}", "01300"),
            ("Tuinderij {surname}", "01131"),
            ("Champignonkwekerij {surname}", "01133"),
            ("Zorgboerderij De {noun}", "01500"),
        ),
        (45, 40, 13, 2),
        ("eigenaar", "bedrijfsleider", "voorman"),
        (
            "Hoveniershulp",
            "Medewerker kwekerij",
            "Oogstmedewerker",
            "Groenmedewerker",
            "Medewerker champignonteelt",
        ),
        (
            "onkruid wieden",
            "gras maaien",
            "stekken en oppotten",
            "fruit plukken",
            "heggen knippen",
            "bladeren ruimen",
            "oogsten",
            "planten water geven",
        ),
        ("Werkt graag buiten", "Kan tillen tot 20 kg", "Rijbewijs B"),
        ("ma–vr 7.30–16.00", "seizoenswerk augustus–oktober", "ochtenden"),
    ),
    Sector(
        "cleaning",
        7,
        (
            ("Schoonmaakbedrijf {surname}", "81210"),
            ("Glazenwasserij {surname}", "81221"),
            ("Schoonmaakdienst De {noun}", "81210"),
            ("{surname} Facilitair", "81101"),
            ("Autopoetsbedrijf {area}", "45204"),
        ),
        (20, 35, 30, 15),
        ("rayonmanager", "objectleider", "HR-adviseur", "eigenaar"),
        (
            "Schoonmaker kantoren",
            "Leerling-glazenwasser",
            "Medewerker interieurverzorging",
            "Schoonmaker avonddienst",
        ),
        (
            "vloeren stofzuigen",
            "vloeren dweilen",
            "sanitair schoonmaken",
            "prullenbakken legen",
            "ramen lappen",
            "kozijnen reinigen",
            "stof afnemen",
            "keukens schoonmaken",
        ),
        (
            "Kan zelfstandig werken",
            "Betrouwbaar (sleutelbeheer)",
            "Verklaring Omtrent het Gedrag (VOG)",
        ),
        ("ma–vr 17.00–21.00", "ma–vr 6.00–9.00", "ochtenden"),
    ),
    Sector(
        "manufacturing",
        12,
        (
            ("Metaalbewerking {surname}", "25620"),
            ("Constructiebedrijf {surname}", "25110"),
            ("Drukkerij {surname}", "18121"),
            ("Vleeswarenfabriek {surname}", "10130"),
            ("Kunststofverwerking {area}", "22290"),
            ("Meubelmakerij {surname}", "31091"),
            ("Banketbakkerij De {noun}", "10712"),
            ("Verpakkingen {area}", "17212"),
        ),
        (20, 40, 30, 10),
        ("productiemanager", "HR-adviseur", "eigenaar", "teamleider productie"),
        (
            "Productiemedewerker",
            "Inpakker",
            "Leerling-operator",
            "Medewerker montage",
            "Medewerker bakkerijproductie",
        ),
        (
            "producten inpakken",
            "etiketten plakken",
            "grondstoffen aanvoeren naar de productielijn",
            "producten controleren op fouten",
            "eenvoudige montage uitvoeren",
            "dozen vouwen en vullen",
            "deeg maken en verwerken",
            "pallets stapelen",
        ),
        ("Veiligheidsschoenen", "Nauwkeurig", "Kan in ploegen werken"),
        ("tweeploegendienst", "ma–vr 7.00–15.30", "ma–vr 8.00–12.00"),
    ),
    Sector(
        "government",
        4,
        (
            ("Gemeentewerf {area}", "84110"),
            ("Sportbedrijf {area}", "93111"),
            ("Stadsbeheer {area}", "84110"),
            ("Bibliotheek {area}", "91011"),
            ("Milieustraat {area}", "38110"),
            ("Zwembad {area}", "93111"),
        ),
        (0, 15, 40, 45),
        ("teamleider", "HR-adviseur", "afdelingshoofd"),
        (
            "Medewerker buitendienst",
            "Medewerker postkamer",
            "Medewerker archief",
            "Medewerker sportaccommodatie",
            "Medewerker milieustraat",
        ),
        (
            "zwerfafval opruimen",
            "sloten en paden onderhouden",
            "post sorteren",
            "documenten scannen",
            "vergaderruimtes klaarzetten",
            "afval scheiden",
            "containers legen",
            "klein onderhoud aan het gebouw uitvoeren",
        ),
        ("Verklaring Omtrent het Gedrag (VOG)", "Rijbewijs B", "Werkt graag in een team"),
        ("ma–vr 7.30–16.00", "ma–vr 9.00–13.00"),
    ),
)
SECTOR_BY_KEY = {s.key: s for s in SECTORS}

# Every task line above is, ignoring case, the name of a curated task (taxonomy/data/
# curated_nl.json, kind "taak"), so the demo opportunities are linked to the taxonomy as
# services.save_opportunity links them; matching scores on those links. Each title has the
# curated occupation (slug; ISCO-08 code in the comment) whose code becomes the opportunity's
# occupation code. A line or title the taxonomy does not know stops the seeder (_taxonomy).
TITLE_OCCUPATIONS: dict[str, str] = {
    # retail
    "Vakkenvuller": "vakkenvuller",  # 9334
    "Medewerker kassa": "kassamedewerker",  # 5230
    "Medewerker winkel": "verkoopmedewerker",  # 5223
    "Orderpicker online bestellingen": "orderpicker",  # 9333
    "Medewerker bakkerijafdeling": "verkoopmedewerker-bakkerij",  # 5223
    # hospitality
    "Afwasser": "afwasser",  # 9412
    "Keukenhulp": "keukenhulp",  # 9412
    "Medewerker bediening": "medewerker-bediening",  # 5131
    "Medewerker housekeeping": "huishoudelijk-medewerker-hotel",  # 9112
    "Medewerker lunchroom": "medewerker-lunchroom",  # 5246
    # care
    "Gastvrouw of gastheer": "gastvrouw-zorg",  # 5329
    "Medewerker facilitair": "facilitair-medewerker",  # 5153
    "Helpende activiteitenbegeleiding": "medewerker-dagbesteding",  # 5329
    "Medewerker linnenkamer": "medewerker-linnenkamer",  # 9121
    "Maaltijdassistent": "gastvrouw-zorg",  # 5329
    # logistics
    "Orderpicker": "orderpicker",  # 9333
    "Medewerker expeditie": "medewerker-expeditie",  # 4321
    "Bijrijder": "pakketbezorger",  # 8322
    "Sorteerder pakketten": "post-en-pakketsorteerder",  # 4412
    "Heftruckchauffeur": "heftruckchauffeur",  # 8344
    # construction
    "Bouwplaatsassistent": "bouwhulp",  # 9313
    "Hulpstratenmaker": "hulp-stratenmaker",  # 9312
    "Assistent schilder": "schilder",  # 7131
    "Leerling timmerman": "timmerman",  # 7115
    "Magazijnmedewerker bouw": "magazijnmedewerker",  # 4321
    # agriculture (and the titles of Hoveniersbedrijf Willems' opportunities)
    "Hoveniershulp": "medewerker-groenvoorziening",  # 9214
    "Medewerker kwekerij": "kwekerijmedewerker",  # 9214
    "Oogstmedewerker": "oogstmedewerker",  # 9211
    "Groenmedewerker": "medewerker-groenvoorziening",  # 9214
    "Medewerker champignonteelt": "medewerker-glastuinbouw",  # 9214
    "Hoveniershulp voor het voorjaar": "medewerker-groenvoorziening",  # 9214
    "Groenmedewerker onderhoud": "medewerker-groenvoorziening",  # 9214
    # cleaning
    "Schoonmaker kantoren": "schoonmaker",  # 9112
    "Leerling-glazenwasser": "glazenwasser",  # 9123
    "Medewerker interieurverzorging": "schoonmaker",  # 9112
    "Schoonmaker avonddienst": "schoonmaker",  # 9112
    # manufacturing
    "Productiemedewerker": "productiemedewerker",  # 9329
    "Inpakker": "inpakker",  # 9321
    "Leerling-operator": "machineoperator",  # 8189
    "Medewerker montage": "assemblagemedewerker",  # 8219
    "Medewerker bakkerijproductie": "medewerker-broodproductie",  # 8160
    # government
    "Medewerker buitendienst": "medewerker-openbare-ruimte",  # 9214
    "Medewerker postkamer": "postkamermedewerker",  # 4412
    "Medewerker archief": "archiefmedewerker",  # 4415
    "Medewerker sportaccommodatie": "facilitair-medewerker",  # 5153
    "Medewerker milieustraat": "medewerker-milieustraat",  # 9612
}

NOUNS = (
    "Lindeboom",
    "Eik",
    "Molen",
    "Zwaan",
    "Gouden Ploeg",
    "Zonnebloem",
    "Kastanje",
    "Wilg",
    "Hoeve",
    "Vlinder",
    "Notenboom",
    "Beuk",
    "Roos",
    "Klaproos",
    "Heuvel",
    "Ooievaar",
    "Boomgaard",
    "Duiventil",
    "Korenbloem",
    "Lindenhof",
    "Esdoorn",
    "Valk",
    "Waalkant",
    "Zevenheuvelen",
    "Meerwijk",
    "Hazelaar",
    "Vlier",
    "Kroon",
    "Zandberg",
)
SIZE_CLASSES = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE)
OPPORTUNITY_KINDS = (
    (OpportunityKind.REGULAR, 60),
    (OpportunityKind.WORK_EXPERIENCE, 14),
    (OpportunityKind.TRIAL, 10),
    (OpportunityKind.LEARNING, 8),
    (OpportunityKind.INTERNSHIP, 3),
    (OpportunityKind.PARTICIPATION, 3),
    (OpportunityKind.SECONDMENT, 2),
)
CHANNELS = (
    (Channel.VISIT_APPOINTMENT, 24),
    (Channel.VISIT_UNANNOUNCED, 8),
    (Channel.PHONE, 36),
    (Channel.EMAIL, 22),
    (Channel.NETWORK, 6),
    (Channel.MEETING, 4),
)
FIRST_CHANNELS = (
    (Channel.VISIT_UNANNOUNCED, 30),
    (Channel.VISIT_APPOINTMENT, 25),
    (Channel.PHONE, 25),
    (Channel.NETWORK, 20),
)
VISITS = (Channel.VISIT_APPOINTMENT, Channel.VISIT_UNANNOUNCED)

FIRST_NOTES = (
    "Kennismakingsbezoek. {person} ({role}) vertelde over het bedrijf; ze zoeken mensen voor "
    "'{task}'. Uitgelegd wat het WerkBedrijf voor hen kan doen.",
    "Eerste contact. {person} staat open voor een werkervaringsplek, vooral voor '{task}'.",
    "Koude acquisitie: binnengelopen en {person} gesproken. Interesse, volgende maand een "
    "afspraak voor een rondleiding.",
    "Ontmoet op de netwerkbijeenkomst van Ondernemend {place}. {person} wil graag een keer "
    "praten over werk voor mensen met een afstand tot de arbeidsmarkt.",
)
NOTES: dict[str, tuple[str, ...]] = {
    Channel.VISIT_APPOINTMENT: (
        "Bedrijfsbezoek bij {person}. Rondleiding gehad; mogelijkheden voor '{task}' besproken.",
        "Bezoek samen met de jobcoach: het gaat goed met de geplaatste medewerker.",
        "Afspraak met {person} over de planning voor het voorjaar; er komt extra werk.",
        "Tussenevaluatie op locatie. Afspraken over begeleiding vastgelegd.",
    ),
    Channel.VISIT_UNANNOUNCED: (
        "Onaangekondigd langs geweest; {person} had even tijd. Drukke periode, volgende maand "
        "weer spreken.",
        "Even binnengelopen na een bezoek in de buurt. {person} noemde nieuw werk: '{task}'.",
    ),
    Channel.PHONE: (
        "{person} gebeld over de stand van zaken.",
        "Gebeld: vraag over loonkostensubsidie beantwoord.",
        "Teruggebeld over de no-riskpolis; informatie gemaild.",
        "{person} belde: de nieuwe medewerker doet het goed.",
        "Gebeld om een bezoek te plannen.",
    ),
    Channel.EMAIL: (
        "Informatie over de proefplaatsing en de no-riskpolis gemaild.",
        "Mail van {person}: in het voorjaar is er werk voor '{task}'.",
        "Verslag van het bezoek gemaild naar {person}.",
    ),
    Channel.NETWORK: (
        "Gesproken op de netwerkbijeenkomst van Ondernemend {place}.",
        "Ontmoet op het werkgeversontbijt in {place}; {person} was er ook.",
    ),
    Channel.MEETING: (
        "Prettig gesprek: {person} sprak drie kandidaten voor '{task}'. Eén kandidaat komt "
        "meelopen.",
        "Prettig gesprek bij het bedrijf, twee kandidaten aan tafel. Goede sfeer.",
    ),
}
ACTION_TITLES = (
    "Offerte loonkostensubsidie nasturen",
    "Terugbellen over het werk",
    "Kandidaten voorstellen voor '{title}'",
    "Rondleiding plannen met kandidaten",
    "Informatie no-riskpolis mailen",
    "Afspraak maken voor een bedrijfsbezoek",
    "Nazorggesprek plannen met de jobcoach",
    "Contract proefplaatsing laten tekenen",
    "Werkplek bekijken met de jobcoach",
)
STATUS_NOTES = {
    OpportunityStatus.PROPOSED: "Wij hebben twee kandidaten gevonden die bij dit werk passen.",
    OpportunityStatus.INTRODUCTION: "De kennismaking is op {day} bij u in het bedrijf.",
    OpportunityStatus.FILLED: "Fijn dat het gelukt is. De jobcoach komt in de eerste week langs.",
    OpportunityStatus.LAPSED: "Het werk is voorlopig niet meer nodig.",
}


@dataclass(frozen=True)
class QuestionText:
    topic: str
    text: str
    answer: str = ""
    routed_to: str = ""  # {municipality} is filled in


QUESTIONS = (
    QuestionText(
        EmployerQuestion.Topic.INSTRUMENT,
        "Kan ik loonkostensubsidie krijgen als ik iemand met een arbeidsbeperking aanneem?",
        "Gebeld en uitgelegd hoe loonkostensubsidie werkt; het ingevulde aanvraagformulier "
        "meegestuurd.",
    ),
    QuestionText(
        EmployerQuestion.Topic.INSTRUMENT,
        "Hoe zit het met de no-riskpolis als mijn nieuwe medewerker ziek wordt?",
        "Uitgelegd dat UWV dan het loon vergoedt; folder gemaild.",
    ),
    QuestionText(
        EmployerQuestion.Topic.INSTRUMENT,
        "Wat is een proefplaatsing en wie betaalt dan het loon?",
        "Proefplaatsing van twee maanden met behoud van uitkering uitgelegd.",
    ),
    QuestionText(
        EmployerQuestion.Topic.REINTEGRATION,
        "Wij zoeken in het voorjaar extra mensen. Kunnen jullie helpen?",
        "Afspraak gemaakt om het werk samen door te nemen.",
    ),
    QuestionText(
        EmployerQuestion.Topic.REINTEGRATION,
        "Kan de jobcoach vaker langskomen bij onze nieuwe collega?",
        "Met de jobcoach afgesproken: de komende maand elke week.",
    ),
    QuestionText(
        EmployerQuestion.Topic.WORK_OFFER,
        "We hebben werk in de inpak. Kunnen jullie daar iemand voor vinden?",
        "Werkkans aangemaakt en besproken met de klantmanagers.",
    ),
    QuestionText(
        EmployerQuestion.Topic.INCIDENT,
        "Onze nieuwe medewerker is al twee dagen niet gekomen. Wat moet ik doen?",
        "Contact gehad met de medewerker en de jobcoach; hij is ziek en meldt zich morgen.",
    ),
    QuestionText(
        EmployerQuestion.Topic.TENDER,
        "We doen mee met een aanbesteding van de gemeente. Hoe werkt social return?",
        "Uitleg over social return gegeven; we helpen met het plan van aanpak.",
    ),
    QuestionText(
        EmployerQuestion.Topic.PERMIT,
        "Ik wil mijn terras uitbreiden. Bij wie moet ik een vergunning aanvragen?",
        "Doorgezet naar Vergunningen; zij nemen contact op.",
        "Gemeente {municipality}, afdeling Vergunningen",
    ),
    QuestionText(
        EmployerQuestion.Topic.OTHER,
        "Wanneer gaat de weg naar ons bedrijventerrein weer open? Onze vrachtwagens moeten "
        "nu omrijden.",
        "",
        "Gemeente {municipality}, afdeling Verkeer en Wegen",
    ),
    QuestionText(
        EmployerQuestion.Topic.OTHER,
        "Onze medewerker krijgt nog post over zijn WW-uitkering. Wie kan hem helpen?",
        "",
        "UWV Werkgeversdienstverlening",
    ),
)

# --- Generation -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Moment:
    """A contact moment to be written (lighter than a model instance: there are a million)."""

    uuid: uuid.UUID
    date: dt.date
    channel: str
    person: ContactPerson | None
    first: bool
    work_found: bool
    notes: str
    recorder: Staff
    present: list[Staff]
    created_at: dt.datetime
    id: int | None = None


@dataclass
class _Plan:
    """One employer with its history, as unsaved model instances."""

    employer: Employer
    sector: Sector
    place: str
    people: list[ContactPerson] = field(default_factory=list)
    moments: list[_Moment] = field(default_factory=list)
    actions: list[tuple[Action, _Moment | None]] = field(default_factory=list)
    opportunities: list[tuple[WorkOpportunity, list[OpportunityStatusChange]]] = field(
        default_factory=list
    )
    questions: list[EmployerQuestion] = field(default_factory=list)
    duplicate_of: Employer | None = None


@dataclass(frozen=True)
class _Taxonomy:
    """The curated tasks and occupations the demo's task lines and titles stand for."""

    skills: dict[str, int]  # task name, lower case, single spaces → skill id
    occupations: dict[str, tuple[int, str]]  # opportunity title → (occupation id, ISCO-08)


@dataclass
class _State:
    """What stays the same over one seed run (also across calls to ``bulk_employers``)."""

    region: Region
    municipalities: list[Municipality]
    weights: list[int]
    rm: Staff | None
    colleagues: list[Staff]
    today: dt.date
    now: dt.datetime
    norm: Norm
    taxonomy: _Taxonomy
    kvk_used: set[str] = field(default_factory=set)
    ambassadors: list[Employer] = field(default_factory=list)
    created: int = 0


def _weighted(ctx: SeedContext, pairs: Sequence[tuple[Any, int]]) -> Any:
    return ctx.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _surname(ctx: SeedContext) -> str:
    name = ctx.rng.choice(LAST_NAMES)
    return name[0].upper() + name[1:]


def _kvk(ctx: SeedContext, state: _State) -> str:
    while True:
        number = str(ctx.rng.randrange(10_000_000, 100_000_000))
        if number not in state.kvk_used:
            state.kvk_used.add(number)
            return number


def _vestigingsnummer(ctx: SeedContext) -> str:
    return f"0000{ctx.rng.randrange(10_000_000, 100_000_000)}"


def _postcode(ctx: SeedContext, place: Place) -> str:
    letters = "ABCDEGHJKLMNPRTVWXZ"
    while True:
        pair = ctx.rng.choice(letters) + ctx.rng.choice(letters)
        if pair not in ("SA", "SD", "SS"):
            return f"{ctx.rng.choice(place.postcodes)} {pair}"


def _mobile(ctx: SeedContext) -> str:
    return f"+316{ctx.rng.randrange(10_000_000, 100_000_000)}"


def _aware(state: _State, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in Dutch time, never later than now (history lies in the past)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return min(moment, state.now)


def _email_domain(name: str) -> str:
    return (slugify(name).replace("-", "")[:40] or "bedrijf") + ".example.nl"


def _new_employer(
    ctx: SeedContext,
    state: _State,
    *,
    owner: Staff,
    name: str | None = None,
    sector: Sector | None = None,
    municipality: Municipality | None = None,
    place_name: str | None = None,
    size: str | None = None,
) -> _Plan:
    sector = sector or _weighted(ctx, [(s, s.weight) for s in SECTORS])
    municipality = municipality or ctx.rng.choices(state.municipalities, weights=state.weights)[0]
    info = MUNICIPALITIES.get(municipality.name, _FALLBACK)
    place = next((p for p in info.places if p.name == place_name), None) or ctx.rng.choice(
        info.places
    )
    city = place.name or municipality.name
    pattern, sbi = ctx.rng.choice(sector.names)
    if name is None:
        area = ctx.rng.choice(place.areas) if place.areas else city
        name = pattern.format(surname=_surname(ctx), noun=ctx.rng.choice(NOUNS), area=area)
    size = size or ctx.rng.choices(SIZE_CLASSES, weights=sector.sizes)[0]
    streets = info.business_parks if sector.on_site and ctx.rng.random() < 0.7 else info.streets
    substitute: Staff | None = None
    if ctx.rng.random() < 0.88:
        preferred = owner.substitute if owner.substitute_id else None
        pool = [s for s in state.colleagues + ([state.rm] if state.rm else []) if s.pk != owner.pk]
        substitute = preferred if preferred and ctx.rng.random() < 0.7 else ctx.rng.choice(pool)
        if substitute is not None and substitute.pk == owner.pk:
            substitute = None
    employer = Employer(
        uuid=ctx.uuid(),
        region=state.region,
        name=name,
        kvk_number=_kvk(ctx, state),
        vestigingsnummer=_vestigingsnummer(ctx),
        sbi_code=sbi,
        size_class=size,
        street=f"{ctx.rng.choice(streets)} {ctx.rng.randint(1, 180)}",
        postcode=_postcode(ctx, place),
        city=city,
        latitude=Decimal(f"{place.lat + ctx.rng.gauss(0, 0.008):.5f}"),
        longitude=Decimal(f"{place.lon + ctx.rng.gauss(0, 0.012):.5f}"),
        municipality=municipality,
        website=f"https://www.{_email_domain(name)}" if ctx.rng.random() < 0.7 else "",
        owner=owner,
        substitute=substitute,
        source=_weighted(
            ctx,
            [
                (Source.VISIT, 50),
                (Source.NETWORK, 15),
                (Source.EMPLOYER_QUESTION, 12),
                (Source.UWV, 8),
                (Source.SOCIAL_RETURN, 4),
                (Source.OTHER, 5),
            ],
        ),
    )
    plan = _Plan(employer=employer, sector=sector, place=city)
    domain = _email_domain(name)
    for index in range(1 if ctx.rng.random() < 0.65 else ctx.rng.randint(2, 3)):
        first, last = ctx.rng.choice(FIRST_NAMES), ctx.rng.choice(LAST_NAMES)
        plan.people.append(
            ContactPerson(
                uuid=ctx.uuid(),
                employer=employer,
                name=f"{first} {last}",
                role=ctx.rng.choice(sector.roles),
                phone=_mobile(ctx),
                email=f"{slugify(first)}.{slugify(last).replace('-', '')}@{domain}",
                preferred_channel=ctx.rng.choice(ContactPerson.PreferredChannel.values),
                is_primary=index == 0,
            )
        )
    return plan


def _contact_days(ctx: SeedContext, n: int, *, newest: int, oldest: int) -> list[int]:
    """``n`` contact days as 'days ago', the first contact (oldest) first."""
    first = (
        ctx.rng.randint(max(newest, min(oldest, 60)), oldest)
        if n > 1
        else ctx.rng.randint(newest, oldest)
    )
    rest = sorted((ctx.rng.randint(newest, first) for _ in range(n - 1)), reverse=True)
    return [first, *rest]


def _history(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    *,
    contacts: int,
    newest: int = 0,
    oldest: int = HISTORY_DAYS,
    opportunities: int = 0,
    statuses: Sequence[str] = (),
    questions: int = 0,
) -> None:
    """Contacts (the oldest flagged as first contact), opportunities with their status
    history, and derived contact dates and phase."""
    employer, sector, today = plan.employer, plan.sector, state.today
    owner = employer.owner
    helpers = [s for s in (employer.substitute, *state.colleagues[:3]) if s and s.pk != owner.pk]
    for index, days_ago in enumerate(
        _contact_days(ctx, contacts, newest=newest, oldest=oldest) if contacts else []
    ):
        first = index == 0
        channel = _weighted(ctx, FIRST_CHANNELS if first else CHANNELS)
        person = ctx.rng.choice(plan.people) if plan.people else None
        template = ctx.rng.choice(FIRST_NOTES if first else NOTES[channel])
        note = template.format(
            person=person.name if person else "de eigenaar",
            role=person.role if person else "eigenaar",
            task=ctx.rng.choice(sector.tasks),
            place=plan.place,
        )
        recorder = owner if ctx.rng.random() < 0.9 or not helpers else ctx.rng.choice(helpers)
        present = [recorder]
        if channel in VISITS and helpers and ctx.rng.random() < 0.2:
            extra = ctx.rng.choice(helpers)
            if extra.pk != recorder.pk:
                present.append(extra)
        day = today - dt.timedelta(days=days_ago)
        plan.moments.append(
            _Moment(
                uuid=ctx.uuid(),
                date=day,
                channel=channel,
                person=person,
                first=first,
                work_found=channel in VISITS and ctx.rng.random() < 0.25,
                notes=note,
                recorder=recorder,
                present=present,
                created_at=min(dt.datetime.combine(day, dt.time(13), tzinfo=UTC), state.now),
            )
        )
    dates = [m.date for m in plan.moments]
    if dates:
        employer.first_contact_on, employer.last_contact_on = min(dates), max(dates)
        visit_dates = [m.date for m in plan.moments if m.channel in VISITS]
        employer.last_visit_on = max(visit_dates) if visit_dates else None
    wanted = list(statuses) + [
        _weighted(
            ctx,
            [
                (OpportunityStatus.OPEN, 25),
                (OpportunityStatus.PROPOSED, 15),
                (OpportunityStatus.INTRODUCTION, 8),
                (OpportunityStatus.FILLED, 35),
                (OpportunityStatus.LAPSED, 17),
            ],
        )
        for _ in range(max(0, opportunities - len(statuses)))
    ]
    for status in wanted:
        plan.opportunities.append(_opportunity(ctx, state, plan, status))
    for _ in range(questions):
        plan.questions.append(_question(ctx, state, plan))
    employer.phase = _phase(plan, today)
    if dates:
        employer.created_at = _aware(state, employer.first_contact_on - dt.timedelta(days=3), 10)
    else:
        employer.created_at = _aware(state, today - dt.timedelta(days=ctx.rng.randint(5, 400)), 10)


def _phase(plan: _Plan, today: dt.date) -> str:
    reached = [Phase.PROSPECT]
    channels = {m.channel for m in plan.moments}
    if channels & set(VISITS):
        reached.append(Phase.VISITED)
    if any(m.work_found for m in plan.moments) or plan.opportunities:
        reached.append(Phase.ENGAGED)
    if Channel.MEETING in channels:
        reached.append(Phase.MEETING)
    statuses = [(o.status, o.filled_on) for o, _c in plan.opportunities]
    if statuses:
        reached.append(Phase.OPPORTUNITY)
    filled = [d for s, d in statuses if s == OpportunityStatus.FILLED and d]
    if filled:
        recent = max(filled) > today - dt.timedelta(days=180)
        open_now = any(
            s
            in (OpportunityStatus.OPEN, OpportunityStatus.PROPOSED, OpportunityStatus.INTRODUCTION)
            for s, _d in statuses
        )
        reached.append(Phase.PLACEMENT if recent or open_now else Phase.AFTERCARE)
    if not plan.moments:
        return Phase.PROSPECT
    order = [p.value for p in Phase]
    return max(reached, key=order.index)


def _opportunity(
    ctx: SeedContext, state: _State, plan: _Plan, status: str, *, opened_ago: int | None = None
) -> tuple[WorkOpportunity, list[OpportunityStatusChange]]:
    sector, today, employer = plan.sector, state.today, plan.employer
    active = status in (
        OpportunityStatus.OPEN,
        OpportunityStatus.PROPOSED,
        OpportunityStatus.INTRODUCTION,
    )
    if opened_ago is None:
        opened_ago = ctx.rng.randint(3, 70) if active else ctx.rng.randint(60, HISTORY_DAYS - 30)
    if employer.first_contact_on:
        opened_ago = min(opened_ago, (today - employer.first_contact_on).days)
    opened_ago = max(opened_ago, 4)  # room for the steps of the pipeline before today
    opened = today - dt.timedelta(days=opened_ago)
    tasks = ctx.rng.sample(sector.tasks, k=ctx.rng.randint(2, min(4, len(sector.tasks))))
    hours_min = ctx.rng.choice([8, 12, 16, 20, 24, 32])
    opportunity = WorkOpportunity(
        uuid=ctx.uuid(),
        employer=employer,
        title=ctx.rng.choice(sector.titles),
        tasks=tasks,
        latent=ctx.rng.random() < 0.3,
        kind=_weighted(ctx, OPPORTUNITY_KINDS),
        places=ctx.rng.choices([1, 2, 3, 5], weights=[60, 25, 10, 5])[0],
        hours_min=hours_min,
        hours_max=min(40, hours_min + ctx.rng.choice([0, 4, 8, 12])),
        schedule=ctx.rng.choice(sector.schedules),
        location=f"{employer.street}, {employer.city}",
        start_date=opened + dt.timedelta(days=ctx.rng.randint(14, 45)),
        driving_licence=ctx.rng.random() < 0.15,
        language_level=ctx.rng.choice(["", "", "A2", "B1"]),
        must_have=ctx.rng.sample(sector.must_have, k=ctx.rng.randint(0, 2)),
        status=status,
        opened_on=opened,
        created_at=_aware(state, opened, 10),
    )
    by = employer.owner.user
    changes = [
        OpportunityStatusChange(
            uuid=ctx.uuid(),
            opportunity=opportunity,
            from_status="",
            to_status=OpportunityStatus.OPEN,
            at=_aware(state, opened, 10),
            by=by,
        )
    ]
    path = {
        OpportunityStatus.OPEN: [],
        OpportunityStatus.PROPOSED: [OpportunityStatus.PROPOSED],
        OpportunityStatus.INTRODUCTION: [
            OpportunityStatus.PROPOSED,
            OpportunityStatus.INTRODUCTION,
        ],
        OpportunityStatus.FILLED: [
            OpportunityStatus.PROPOSED,
            OpportunityStatus.INTRODUCTION,
            OpportunityStatus.FILLED,
        ],
        OpportunityStatus.LAPSED: [OpportunityStatus.PROPOSED, OpportunityStatus.LAPSED]
        if ctx.rng.random() < 0.5
        else [OpportunityStatus.LAPSED],
    }[status]
    # Spread the steps over the time since opening (about five weeks to fill, WB §3.1.2).
    span = opened_ago if active else ctx.rng.randint(12, 75)
    span = max(len(path), min(span, opened_ago))
    cuts = sorted(ctx.rng.sample(range(1, span + 1), k=len(path))) if path else []
    previous = OpportunityStatus.OPEN
    for step, offset in zip(path, cuts, strict=True):
        day = opened + dt.timedelta(days=offset)
        note = STATUS_NOTES.get(step, "").format(
            day=(day + dt.timedelta(days=7)).strftime("%d-%m-%Y")
        )
        at = _aware(state, day, ctx.rng.randint(9, 16), ctx.rng.choice([0, 15, 30, 45]))
        changes.append(
            OpportunityStatusChange(
                uuid=ctx.uuid(),
                opportunity=opportunity,
                from_status=previous,
                to_status=step,
                at=at,
                by=by,
                note=note if ctx.rng.random() < 0.8 else "",
                reported_to_employer_at=min(at + dt.timedelta(minutes=1), state.now)
                if plan.people
                else None,
            )
        )
        previous = step
    last_day = timezone.localtime(changes[-1].at).date()
    if status == OpportunityStatus.FILLED:
        opportunity.filled_on = opportunity.closed_on = last_day
    elif status == OpportunityStatus.LAPSED:
        opportunity.closed_on = last_day
    return opportunity, changes


def _question(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    *,
    text: QuestionText | None = None,
    received: dt.datetime | None = None,
    answered: bool | None = None,
) -> EmployerQuestion:
    employer, today = plan.employer, state.today
    if text is None:  # now and then a question outside the social domain, passed on
        routed = ctx.rng.random() < 0.08
        text = ctx.rng.choice([q for q in QUESTIONS if bool(q.routed_to) == routed])
    if received is None:
        day = today - dt.timedelta(days=ctx.rng.randint(1, HISTORY_DAYS - 10))
        if employer.first_contact_on and day < employer.first_contact_on:
            day = employer.first_contact_on
        received = _aware(state, day, ctx.rng.randint(8, 17), ctx.rng.choice([5, 20, 35, 50]))
    received = min(received, state.now)
    handler = services.handler_for(employer, on=timezone.localtime(received).date())
    if answered is None:
        answered = True
    question = EmployerQuestion(
        uuid=ctx.uuid(),
        employer=employer,
        contact_person=ctx.rng.choice(plan.people) if plan.people else None,
        received_at=received,
        topic=text.topic,
        question=text.text,
        assigned_to=handler,
        created_at=received,
    )
    if text.routed_to:
        question.routed_to = text.routed_to.format(municipality=employer.municipality.name)
        question.routed_at = received + dt.timedelta(hours=ctx.rng.randint(1, 5))
    if answered:
        # Most on the same or the next working day; some late (the response norm shows it).
        late = ctx.rng.random() < 0.15
        due = add_working_days(timezone.localtime(received), state.norm.response_days)
        answered_at = (
            due + dt.timedelta(days=ctx.rng.randint(1, 4))
            if late
            else received + (due - received) * ctx.rng.uniform(0.1, 0.9)
        )
        question.answered_at = max(received, min(answered_at, state.now))
        question.answer = text.answer or (
            f"Doorgezet naar {question.routed_to}; de werkgever is daar geholpen."
            if question.routed_to
            else "Telefonisch beantwoord."
        )
    return question


def _action(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    *,
    owner: Staff,
    due_in: int,
    done: bool = False,
    title: str | None = None,
) -> tuple[Action, _Moment | None]:
    moment = plan.moments[-1] if plan.moments else None
    opportunity_titles = [o.title for o, _c in plan.opportunities] or ["het werk"]
    title = title or ctx.rng.choice(ACTION_TITLES).format(title=ctx.rng.choice(opportunity_titles))
    due = state.today + dt.timedelta(days=due_in)
    created_on = min(state.today, moment.date if moment else state.today)
    action = Action(
        uuid=ctx.uuid(),
        employer=plan.employer,
        title=title,
        owner=owner,
        due_on=due,
        created_at=_aware(state, created_on, 16),
    )
    if done:
        done_day = min(state.today, max(created_on, due - dt.timedelta(days=ctx.rng.randint(0, 3))))
        action.done_at = _aware(state, done_day, ctx.rng.randint(9, 17))
    return action, moment


# --- Persistence ------------------------------------------------------------------------------


def _save_history(plans: Sequence[_Plan], taxonomy: _Taxonomy, *, batch_size: int = 2000) -> int:
    """Write the history of saved employers in bulk: contact moments with the staff present,
    opportunities (linked to the taxonomy) with their status changes, questions and actions.
    It is history, not edits, so the caller writes one summary entry in the change log.
    Returns the number of contact moments. (bulk_create takes the key of a parent saved after
    it was assigned.)"""
    moments = [(plan.employer, m) for plan in plans for m in plan.moments]
    for (_employer, moment), pk in zip(
        moments, _reserve_ids(ContactMoment, len(moments)), strict=True
    ):
        moment.id = pk
    _insert(
        ContactMoment,
        (
            {
                "id": m.id,
                "uuid": m.uuid,
                "created_at": m.created_at,
                "updated_at": m.created_at,
                "version": 1,
                "employer_id": employer.pk,
                "date": m.date,
                "channel": m.channel,
                "contact_person_id": m.person.pk if m.person else None,
                "is_first_contact": m.first,
                "work_found": m.work_found,
                "notes": m.notes,
                "recorded_by_id": m.recorder.pk,
            }
            for employer, m in moments
        ),
        batch_size=batch_size,
    )
    _insert(
        ContactMoment.staff.through,
        (
            {"contactmoment_id": m.id, "staff_id": person.pk}
            for _employer, m in moments
            for person in m.present
        ),
        batch_size=batch_size,
    )
    opportunities = [o for plan in plans for o, _c in plan.opportunities]
    skill_ids = [_link_taxonomy(o, taxonomy) for o in opportunities]
    changes = [c for plan in plans for _o, cs in plan.opportunities for c in cs]
    questions = [q for plan in plans for q in plan.questions]
    actions = []
    for plan in plans:
        for action, moment in plan.actions:
            action.contact_moment_id = moment.id if moment else None
            actions.append(action)
    for model, group in (
        (WorkOpportunity, opportunities),
        (OpportunityStatusChange, changes),
        (EmployerQuestion, questions),
        (Action, actions),
    ):
        model.objects.bulk_create(group, batch_size=batch_size)
    _insert(
        WorkOpportunity.skills.through,
        (
            {"workopportunity_id": o.pk, "skill_id": skill}
            for o, skills in zip(opportunities, skill_ids, strict=True)
            for skill in skills
        ),
        batch_size=batch_size,
    )
    return len(moments)


def _task_key(name: str) -> str:
    """A task name as services.save_opportunity compares it: ignoring case and extra spaces."""
    return " ".join(name.split()).lower()


def _taxonomy() -> _Taxonomy:
    """Look up the curated tasks and occupations once per seed run. Every task line in SECTORS
    and SPRING_TASKS must be a curated task and every title must have a curated occupation, or
    the demo opportunities would silently lose their links: stop with the names to fix."""
    skills: dict[str, int] = {}
    rows = Skill.objects.filter(source=TaxonomySource.CURATED, kind=Skill.Kind.TASK)
    for pk, label in rows.order_by("id").values_list("pk", "label"):
        skills.setdefault(_task_key(label), pk)
    lines = {t for s in SECTORS for t in s.tasks} | set(SPRING_TASKS)
    unknown = sorted(t for t in lines if _task_key(t) not in skills)
    if unknown:
        raise RuntimeError(
            "Demo task lines that are not curated tasks (kind 'taak' in "
            f"taxonomy/data/curated_nl.json): {', '.join(unknown)}"
        )
    found = {
        uri: (pk, code)
        for pk, uri, code in Occupation.objects.filter(
            source=TaxonomySource.CURATED,
            uri__in=[occupation_uri(slug) for slug in set(TITLE_OCCUPATIONS.values())],
        ).values_list("pk", "uri", "isco_code")
    }
    titles = {t for s in SECTORS for t in s.titles}
    problems = sorted(t for t in titles if t not in TITLE_OCCUPATIONS) + sorted(
        f"{title} ({slug})"
        for title, slug in TITLE_OCCUPATIONS.items()
        if occupation_uri(slug) not in found
    )
    if problems:
        raise RuntimeError(
            "Demo opportunity titles without a curated occupation (TITLE_OCCUPATIONS, "
            f"taxonomy/data/curated_nl.json): {', '.join(problems)}"
        )
    occupations = {title: found[occupation_uri(slug)] for title, slug in TITLE_OCCUPATIONS.items()}
    return _Taxonomy(skills=skills, occupations=occupations)


def _link_taxonomy(opportunity: WorkOpportunity, taxonomy: _Taxonomy) -> list[int]:
    """Set the occupation (and its code) from the title, as services.save_opportunity does
    from the code, and return the ids of the tasks named in the task lines."""
    try:
        opportunity.occupation_id, opportunity.occupation_code = taxonomy.occupations[
            opportunity.title
        ]
        return list(dict.fromkeys(taxonomy.skills[_task_key(t)] for t in opportunity.tasks))
    except KeyError as missing:
        raise RuntimeError(
            f"Demo opportunity '{opportunity.title}': {missing} is not in the taxonomy "
            "(see TITLE_OCCUPATIONS and the task lines in SECTORS)."
        ) from None


def _reserve_ids(model: type[Any], count: int) -> range:
    """``count`` primary keys for rows written with explicit ids (the seeder is the only
    writer while it runs)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            if count > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        else:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            first = cursor.fetchone()[0]
    return range(first, first + count)


def _insert(model: type[Any], rows: Iterable[dict[str, Any]], *, batch_size: int) -> None:
    """Insert plain rows (attname → value) fast: PostgreSQL's COPY, else bulk_create. Rows give
    every column except an automatic primary key."""
    if connection.vendor != "postgresql":
        batch: list[Any] = []
        for row in rows:
            batch.append(model(**row))
            if len(batch) >= batch_size:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)
        return
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    names = list(first)
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    quoted = ", ".join(connection.ops.quote_name(columns[name]) for name in names)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({quoted}) FROM STDIN"  # noqa: S608 - names from the model
        ) as copy,
    ):
        copy.write_row([first[n] for n in names])
        for row in iterator:
            copy.write_row([row[n] for n in names])


def _state(ctx: SeedContext) -> _State:
    state = ctx.shared.get("employer_seed_state")
    if state is not None:
        return state
    region: Region = ctx.shared["regions"][0]
    municipalities: list[Municipality] = list(ctx.shared["municipalities"])
    rm: Staff | None = ctx.shared.get("demo_staff", {}).get("relatiemanager")
    colleagues = list(
        Staff.objects.filter(
            organisation__region=region,
            active=True,
            user__role_grants__role=Role.RELATIONSHIP_MANAGER,
        )
        .exclude(pk=rm.pk if rm else None)
        .select_related("user", "organisation", "substitute__user", "substitute__organisation")
        .order_by("pk")
        .distinct()
    )
    if rm is not None:
        rm = Staff.objects.select_related(
            "user", "organisation", "substitute__user", "substitute__organisation"
        ).get(pk=rm.pk)
    if not colleagues and rm is None:
        raise RuntimeError("The employer seeder needs relationship managers (run 'staff' first).")
    state = _State(
        region=region,
        municipalities=municipalities,
        weights=[MUNICIPALITIES.get(m.name, _FALLBACK).weight for m in municipalities],
        rm=rm,
        colleagues=colleagues or [rm],  # type: ignore[list-item]
        today=timezone.localdate(),
        now=timezone.now(),
        norm=services.policy_for(region.pk),
        taxonomy=_taxonomy(),
    )
    ctx.shared["employer_seed_state"] = state
    return state


# --- The showcase -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Featured:
    name: str
    sector: str
    municipality: str
    place: str
    size: str
    mine: bool  # owned by the demo relationship manager
    contacts: int
    statuses: tuple[str, ...] = ()
    sbi: str = ""
    ambassador: bool = False
    notes: str = ""


# Shorthands for the table below.
_O, _P, _K, _F, _V = (
    OpportunityStatus.OPEN,
    OpportunityStatus.PROPOSED,
    OpportunityStatus.INTRODUCTION,
    OpportunityStatus.FILLED,
    OpportunityStatus.LAPSED,
)
# Featured(name, sector, municipality, place, size, owned by the demo relationship manager,
#          number of contacts, statuses of its work opportunities, ...)
FEATURED = (
    Featured(
        "Bakkerij De Korenschoof",
        "manufacturing",
        "Nijmegen",
        "Nijmegen",
        "10-49",
        True,
        22,
        (_O, _F, _F),
        ambassador=True,
        notes="Ambachtelijke bakkerij met winkel. Eigenaar is ambassadeur in Nijmegen-West.",
        sbi="10711",
    ),
    Featured(
        "Zorgcentrum De Linde",
        "care",
        "Beuningen",
        "Beuningen",
        "50-249",
        True,
        20,
        (_P, _F, _V),
        sbi="87101",
    ),
    Featured(
        "Transportbedrijf Van Gelder",
        "logistics",
        "Druten",
        "Druten",
        "50-249",
        True,
        18,
        (_K, _O, _F),
        sbi="49410",
    ),
    Featured(
        "Eetcafé De Gouden Leeuw",
        "hospitality",
        "Druten",
        "Druten",
        "10-49",
        True,
        12,
        (_O, _V),
        sbi="56101",
    ),
    Featured(
        "Schoonmaakbedrijf Glansrijk",
        "cleaning",
        "Nijmegen",
        "Nijmegen",
        "250+",
        True,
        16,
        (_F, _F, _O),
        ambassador=True,
        sbi="81210",
    ),
    Featured(
        "Distributiecentrum Bijsterhuizen",
        "logistics",
        "Wijchen",
        "Wijchen",
        "250+",
        False,
        19,
        (_O, _P, _K, _F),
        sbi="52109",
    ),
    Featured(
        "Hotel-Restaurant De Heuvelrug",
        "hospitality",
        "Berg en Dal",
        "Berg en Dal",
        "50-249",
        False,
        14,
        (_F, _O),
        sbi="55101",
    ),
    Featured(
        "Bouwbedrijf Hendriks & Zn.",
        "construction",
        "Heumen",
        "Malden",
        "10-49",
        False,
        15,
        (_F, _V),
        sbi="41200",
    ),
    Featured(
        "Fruitteeltbedrijf Klaassen",
        "agriculture",
        "Druten",
        "Afferden",
        "10-49",
        False,
        11,
        (_F, _O),
        sbi="01240",
    ),
    Featured(
        "Supermarkt Van den Berg",
        "retail",
        "Mook en Middelaar",
        "Mook",
        "50-249",
        False,
        13,
        (_P,),
        sbi="47111",
    ),
    Featured(
        "Metaalbewerking Jansen",
        "manufacturing",
        "Nijmegen",
        "Nijmegen",
        "50-249",
        False,
        17,
        (_F, _K),
        ambassador=True,
        sbi="25620",
    ),
    Featured(
        "Gemeentewerf Wijchen",
        "government",
        "Wijchen",
        "Wijchen",
        "50-249",
        False,
        9,
        (_F,),
        sbi="84110",
    ),
    Featured(
        "Kwekerij De Ooijpolder",
        "agriculture",
        "Berg en Dal",
        "Ooij",
        "10-49",
        False,
        8,
        (_V,),
        sbi="01300",
    ),
)
WERKGEVER_COMPANY = "Hoveniersbedrijf Willems"
# The task lines of Henk Willems' open opportunity (curated task names, like SECTORS).
SPRING_TASKS = ("onkruid wieden", "gras maaien", "snoeien", "onkruid op verharding verwijderen")
SHOWCASE_SIZE = 120


def _werkgever_company(ctx: SeedContext, state: _State, owner: Staff) -> _Plan:
    """Henk Willems' company: the demo log-in ``werkgever`` is its contact person."""
    from werkbrug.accounts.models import User

    wijchen = next((m for m in state.municipalities if m.name == "Wijchen"), None)
    plan = _new_employer(
        ctx,
        state,
        owner=owner,
        name=WERKGEVER_COMPANY,
        sector=SECTOR_BY_KEY["agriculture"],
        municipality=wijchen,
        place_name="Wijchen",
        size=SizeClass.SMALL,
    )
    employer = plan.employer
    employer.sbi_code = "81300"
    employer.street = "Touwslagersbaan 41"
    employer.website = "https://www.hoveniersbedrijfwillems.example.nl"
    employer.substitute = owner.substitute if owner.substitute_id else state.colleagues[0]
    employer.source = Source.AMBASSADOR
    employer.notes = (
        "Familiebedrijf (tuinaanleg en onderhoud), 14 medewerkers. Henk werkt graag met "
        "mensen die buiten willen werken; begeleiding door zijn voorman Ruud."
    )
    user = User.objects.filter(username="werkgever").first()
    domain = "hoveniersbedrijfwillems.example.nl"
    plan.people = [
        ContactPerson(
            uuid=ctx.uuid(),
            employer=employer,
            name="Henk Willems",
            role="eigenaar",
            phone="+31612345678",
            email=f"henk@{domain}",
            is_primary=True,
            preferred_channel=ContactPerson.PreferredChannel.PHONE,
            user=user,
        ),
        ContactPerson(
            uuid=ctx.uuid(),
            employer=employer,
            name="Ria Willems",
            role="administratie",
            phone="+31246412233",
            email=f"administratie@{domain}",
            preferred_channel=ContactPerson.PreferredChannel.EMAIL,
        ),
    ]
    _history(ctx, state, plan, contacts=18, newest=2, questions=0)
    today = state.today
    plan.opportunities = [
        _opportunity(ctx, state, plan, _O, opened_ago=9),
        _opportunity(ctx, state, plan, _P, opened_ago=31),
        _opportunity(ctx, state, plan, _F, opened_ago=330),
        _opportunity(ctx, state, plan, _V, opened_ago=520),
    ]
    spring = plan.opportunities[0][0]
    spring.title = "Hoveniershulp voor het voorjaar"
    spring.tasks = list(SPRING_TASKS)
    spring.places, spring.hours_min, spring.hours_max = 2, 24, 32
    spring.latent = True
    spring.start_date = today + dt.timedelta(days=21)
    plan.opportunities[1][0].title = "Groenmedewerker onderhoud"
    plan.opportunities[2][0].title = "Medewerker kwekerij"
    received = _aware(state, today - dt.timedelta(days=40), 9, 12)
    plan.questions = [
        _question(ctx, state, plan, text=QUESTIONS[0], received=received, answered=True),
        _question(
            ctx,
            state,
            plan,
            text=QUESTIONS[1],
            answered=False,
            received=_aware(state, today, 8, 40),
        ),
    ]
    for question in plan.questions:
        question.contact_person = plan.people[0]
    employer.phase = _phase(plan, today)
    return plan


@seeder(order=30, name="employers")
def seed_employers(ctx: SeedContext) -> None:
    state = _state(ctx)
    rm, colleagues = state.rm or state.colleagues[0], state.colleagues
    EmployerPolicy.objects.get_or_create(region=state.region)
    plans: list[_Plan] = [_werkgever_company(ctx, state, rm)]
    by_name = {m.name: m for m in state.municipalities}
    for index, spec in enumerate(FEATURED):
        owner = rm if spec.mine else colleagues[index % len(colleagues)]
        plan = _new_employer(
            ctx,
            state,
            owner=owner,
            name=spec.name,
            sector=SECTOR_BY_KEY[spec.sector],
            municipality=by_name.get(spec.municipality),
            place_name=spec.place,
            size=spec.size,
        )
        plan.employer.ambassador, plan.employer.notes = spec.ambassador, spec.notes
        plan.employer.sbi_code = spec.sbi or plan.employer.sbi_code
        _history(
            ctx,
            state,
            plan,
            contacts=spec.contacts,
            statuses=spec.statuses,
            opportunities=len(spec.statuses),
            questions=ctx.rng.randint(1, 3),
        )
        plans.append(plan)
    ambassadors = [p.employer for p in plans if p.employer.ambassador]
    plans[0].employer.brought_in_by = ambassadors[0]

    # The likely duplicate: the same bakery registered again by a colleague, as a B.V. without
    # an establishment number (same KvK number and postcode): the merge tool's example.
    original = plans[1]
    twin = _new_employer(
        ctx,
        state,
        owner=colleagues[2 % len(colleagues)],
        name="Bakkerij de Korenschoof B.V.",
        sector=original.sector,
        municipality=original.employer.municipality,
        place_name=original.place,
        size=original.employer.size_class,
    )
    twin.employer.kvk_number = original.employer.kvk_number
    twin.employer.vestigingsnummer = ""
    twin.employer.sbi_code = original.employer.sbi_code
    twin.employer.postcode = original.employer.postcode
    twin.employer.street = original.employer.street
    twin.employer.source = Source.IMPORT
    _history(ctx, state, twin, contacts=4, oldest=200, opportunities=1, statuses=(_O,))
    twin.duplicate_of = original.employer
    plans.append(twin)

    # The rest: the regional mix. The demo relationship manager owns about fifteen employers,
    # two of them prospects and two cold (no contact for more than a year).
    mine = sum(1 for p in plans if p.employer.owner_id == rm.pk)
    prospects = 8
    for index in range(SHOWCASE_SIZE - len(plans)):
        if mine < 15:
            owner, mine = rm, mine + 1
        else:
            owner = colleagues[index % len(colleagues)]
        plan = _new_employer(ctx, state, owner=owner)
        if index < prospects or (owner is rm and mine in (13, 14)):
            plan.employer.source = _weighted(
                ctx, [(Source.IMPORT, 3), (Source.UWV, 2), (Source.OTHER, 1)]
            )
            _history(ctx, state, plan, contacts=0)
        elif owner is rm and mine in (11, 12):
            _history(ctx, state, plan, contacts=ctx.rng.randint(3, 6), newest=400)
        else:
            if ctx.rng.random() < 0.08 and ambassadors:
                plan.employer.source = Source.AMBASSADOR
                plan.employer.brought_in_by = ctx.rng.choice(ambassadors)
            plan.employer.ambassador = ctx.rng.random() < 0.04
            _history(
                ctx,
                state,
                plan,
                contacts=ctx.rng.randint(8, 19),
                opportunities=ctx.rng.choices([0, 1, 2, 3], weights=[30, 40, 20, 10])[0],
                questions=ctx.rng.choices([0, 1, 2], weights=[55, 35, 10])[0],
            )
        plans.append(plan)

    _showcase_work(ctx, state, plans)
    _register(plans)
    contacts = _save_history(plans, state.taxonomy)
    audit.record_summary(
        state.region,
        note=f"seed-demo: history of {len(plans)} showcase employers ({contacts} contact "
        "moments, their opportunities, questions and actions)",
    )
    state.ambassadors = [p.employer for p in plans if p.employer.ambassador]
    state.created += len(plans)
    ctx.shared["employers"] = [p.employer for p in plans]
    ctx.shared["werkgever_employer"] = plans[0].employer
    ctx.say(
        f"Werkgevers: {len(plans)} (waarvan {mine} van {rm}), {contacts} contactmomenten; "
        f"demo-werkgever: {WERKGEVER_COMPANY}."
    )

    filler = ctx.size(demo=0, region=1_500, national=50_000) - len(plans)
    if filler > 0:
        total_contacts = ctx.size(demo=0, region=25_000, national=1_000_000) - contacts
        bulk_employers(ctx, count=filler, contacts=total_contacts)


def _showcase_work(ctx: SeedContext, state: _State, plans: list[_Plan]) -> None:
    """Tasks today and overdue for the demo relationship manager, open and overdue questions,
    questions handled by a substitute while a colleague is away."""
    rm, today = state.rm or state.colleagues[0], state.today
    mine = [p for p in plans if p.employer.owner_id == rm.pk and p.moments]
    schedule = [0, 0, 0, -1, -3, -8, -16, 2, 5, 9, 14, 21]
    for index, due_in in enumerate(schedule):
        plan = mine[index % len(mine)]
        plan.actions.append(_action(ctx, state, plan, owner=rm, due_in=due_in))
    for plan in mine[:8]:
        plan.actions.append(
            _action(ctx, state, plan, owner=rm, due_in=-ctx.rng.randint(5, 120), done=True)
        )
    others = [p for p in plans if p.employer.owner_id != rm.pk and p.moments]
    for index, plan in enumerate(others):
        if index % 3 == 0:
            plan.actions.append(
                _action(
                    ctx, state, plan, owner=plan.employer.owner, due_in=ctx.rng.randint(-10, 20)
                )
            )
        if index % 4 == 0:
            plan.actions.append(
                _action(
                    ctx,
                    state,
                    plan,
                    owner=plan.employer.owner,
                    due_in=-ctx.rng.randint(3, 200),
                    done=True,
                )
            )

    # Open questions: two for the demo relationship manager today, one overdue; overdue ones
    # for colleagues; two passed on to another department and not yet answered.
    def received(days: int, hour: int) -> dt.datetime:
        return _aware(state, today - dt.timedelta(days=days), hour, 25)

    for plan, days in zip(mine[1:4], (0, 0, 6), strict=False):
        plan.questions.append(
            _question(ctx, state, plan, received=received(days, 8), answered=False)
        )
    for plan, days in zip(others[:5], (4, 7, 9, 1, 12), strict=False):
        plan.questions.append(
            _question(ctx, state, plan, received=received(days, 10), answered=False)
        )
    passed_on = [q for q in QUESTIONS if q.routed_to]
    for plan, text in zip(others[5:7], passed_on, strict=False):
        plan.questions.append(
            _question(ctx, state, plan, text=text, received=received(2, 11), answered=False)
        )
    # A colleague is away this week (see the staff seeder): their employers' new questions go
    # to the named substitute, for some of them the demo relationship manager.
    away = [s for s in state.colleagues if s.is_away_on(today)]
    for person in away[:1]:
        theirs = [p for p in plans if p.employer.owner_id == person.pk and p.moments][:3]
        for plan in theirs[:2]:
            plan.employer.substitute = rm
        for plan in theirs:
            plan.questions.append(
                _question(ctx, state, plan, received=received(0, 9), answered=False)
            )


def _register(plans: Sequence[_Plan]) -> None:
    """Register the showcase employers and their contact persons through the services."""
    actors: dict[int, access.Actor] = {}
    # Ambassadors first: the employers they brought in refer to them.
    for plan in sorted(plans, key=lambda p: not p.employer.ambassador):
        employer = plan.employer
        owner = employer.owner
        actor = actors.get(owner.pk)
        if actor is None:
            actor = actors[owner.pk] = access.actor_for(owner.user)
        try:
            services.register_employer(
                actor=actor, employer=employer, duplicates_checked=plan.duplicate_of is not None
            )
        except services.DuplicateSuspected:
            # A generated name that happens to match another one at the same postcode.
            services.register_employer(actor=actor, employer=employer, duplicates_checked=True)
        for person in plan.people:
            person.employer = employer
            services.save_contact_person(actor=actor, person=person)


# --- The filler (region and national scale, and the benchmark) -------------------------------


def bulk_employers(
    ctx: SeedContext, *, count: int, contacts: int, chunk: int = 1000, batch_size: int = 5000
) -> tuple[int, int]:
    """Add ``count`` employers with about ``contacts`` contact moments in total (spread
    unevenly; about 8 % are prospects without contact) through ``bulk_create``, in chunks so
    memory stays flat. One summary entry goes to the change log. Returns (employers,
    contact moments) created."""
    state = _state(ctx)
    if count <= 0:
        return 0, 0
    contacts = max(0, contacts)
    owners = state.colleagues
    prospect = [ctx.rng.random() < 0.08 for _ in range(count)]
    weights = [0.0 if p else ctx.rng.uniform(0.25, 1.75) for p in prospect]
    scale = contacts / (sum(weights) or 1.0)
    counts = [int(w * scale) for w in weights]
    remainder = contacts - sum(counts)
    active = [i for i, p in enumerate(prospect) if not p]
    for i in range(max(0, remainder)):
        counts[active[i % len(active)]] += 1
    made_employers = made_contacts = 0
    for start in range(0, count, chunk):
        plans = []
        for index in range(start, min(count, start + chunk)):
            owner = owners[(state.created + index) % len(owners)]
            plan = _new_employer(ctx, state, owner=owner)
            n = counts[index]
            if n == 0:
                plan.employer.source = Source.IMPORT
                _history(ctx, state, plan, contacts=0)
            else:
                if state.ambassadors and ctx.rng.random() < 0.05:
                    plan.employer.source = Source.AMBASSADOR
                    plan.employer.brought_in_by = ctx.rng.choice(state.ambassadors)
                plan.employer.ambassador = ctx.rng.random() < 0.03
                _history(
                    ctx,
                    state,
                    plan,
                    contacts=n,
                    opportunities=ctx.rng.choices([0, 1, 2], weights=[60, 30, 10])[0],
                    questions=ctx.rng.choices([0, 1], weights=[80, 20])[0],
                )
                if ctx.rng.random() < 0.06:
                    plan.actions.append(
                        _action(ctx, state, plan, owner=owner, due_in=ctx.rng.randint(-20, 30))
                    )
            plans.append(plan)
        Employer.objects.bulk_create([p.employer for p in plans], batch_size=batch_size)
        people = [person for p in plans for person in p.people]
        ContactPerson.objects.bulk_create(people, batch_size=batch_size)
        made_contacts += _save_history(plans, state.taxonomy, batch_size=batch_size)
        made_employers += len(plans)
        state.ambassadors.extend(p.employer for p in plans if p.employer.ambassador)
    state.created += count
    audit.record_summary(
        state.region,
        note=f"seed-demo {ctx.scale}: {made_employers} employers with {made_contacts} contact "
        f"moments added in bulk",
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (
                Employer,
                ContactMoment,
                ContactPerson,
                WorkOpportunity,
                WorkOpportunity.skills.through,
            ):
                cursor.execute(f"ANALYZE {model._meta.db_table}")  # noqa: S608 - table names
    ctx.say(f"Werkgevers in bulk: {made_employers}, contactmomenten: {made_contacts}.")
    return made_employers, made_contacts


def employer_uuids(employers: Iterable[Employer]) -> list[str]:
    """The public ids of some employers (for tests of determinism)."""
    return sorted(str(e.uuid) for e in employers)
