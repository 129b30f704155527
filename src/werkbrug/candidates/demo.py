"""Demo data for the candidate pool: people on social assistance in the Rijk van Nijmegen and
the Werktop municipalities, with profiles, consents, contacts and history.

Deterministic per seed: every random choice and every public id comes from ``ctx.rng`` /
``ctx.uuid()``.

**The mix follows the Werktop evaluation** (Tabel 6.1-6.4, the candidate column): age band,
sex, household, highest education, self-rated health and benefit duration are dealt out as
*quotas* (exact shares, shuffled) rather than drawn one by one, so even the 500 demo candidates
show the published shares. Education is left empty for 8 % and about 15 % more lack other
required parts of the profile (talents, wishes, languages, hours ...), so about a quarter are
incomplete, as the WerkBedrijf found (WB §3.2.1). Complete profiles are handed over from the
client manager to a relationship manager; incomplete ones stay in the client manager's caseload.

Around that: languages (statushouders with Arabic or Tigrinya, Turkish, Polish ...), work
experience, dated target-group memberships (some expired), a few limitations with adjustments,
consents (regional pool, named employers of the region, some withdrawn), a year of contacts
(about 15 % not seen for more than eight weeks), appointments in the coming weeks, ladder
history, service periods (some past 12 months, a few close to the 24-month term), returns for
each of the four reasons and signals.

The demo log-ins: ``kandidaat`` (Anouk Bakker, Wijchen) has a complete profile, handed over to
``relatiemanager``, shared with the company of ``werkgever``; ``klantmanager`` (Wijchen) has a
caseload with some incomplete profiles.

Scales: demo about 450 candidates in the Rijk van Nijmegen and 75 in the Werktop region;
region 3,500; national 200,000 (written in chunks with PostgreSQL's ``COPY`` where available,
fewer contacts per person). Everything is written directly (no services), with one summary
entry per region in the change log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.text import slugify

from werkbrug.candidates.models import (
    Appointment,
    BenefitType,
    Candidate,
    CandidateContact,
    CandidateLanguage,
    CandidatePolicy,
    Consent,
    ConsentChannel,
    ConsentScope,
    ContactChannel,
    Deployability,
    EpisodePhase,
    Handover,
    HandoverBatch,
    HealthProfile,
    JourneyStatus,
    LadderStepChange,
    LanguageLevel,
    LimitationNature,
    MembershipStatus,
    Return,
    ReturnReason,
    Segment,
    ServiceEpisode,
    Signal,
    SignalDecision,
    SignalKind,
    TargetGroup,
    TargetGroupMembership,
    Transport,
    WorkExperience,
    benefit_duration_band,
)
from werkbrug.core import audit
from werkbrug.core.bsn import protect_bsn
from werkbrug.core.roles import Role
from werkbrug.core.validators import generate_bsn
from werkbrug.demo.names import FIRST_NAMES, LAST_NAMES
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.employers.demo import (
    _FALLBACK,
    MUNICIPALITIES,
    NOUNS,
    MunicipalityInfo,
    Place,
    _insert,
    _postcode,
    _reserve_ids,
)
from werkbrug.regions.models import Municipality, Region, Staff
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, WorkKind

# --- Reference shares: Werktop evaluation 2014, candidate column ("werktop") -------------------
# (werktop_2014.json: tabel_6_1_sociaal_demografisch, tabel_6_2_opleidingsniveau,
#  tabel_6_3_ervaren_gezondheid, tabel_6_4_uitkeringssituatie.duur_uitkering)

#: Age bands of the survey; band 2 is printed "22-44 jaar" (sic), 25-44 is meant.
AGE_BANDS: tuple[tuple[int, int], ...] = ((18, 24), (25, 44), (45, 54), (55, 65))
AGE_SHARES = (3.5, 48.2, 29.8, 18.4)
SEX_SHARES = (("man", 55.3), ("vrouw", 44.7))
HOUSEHOLD_SHARES = (67.5, 18.4, 2.6, 11.4)  # codes 1-4
EDUCATION_SHARES = (3.5, 7.9, 41.2, 29.8, 17.5)  # codes 1-5
HEALTH_SHARES = (10.5, 45.6, 41.2, 1.8, 0.9)  # codes 1-5
BENEFIT_DURATION_SHARES = (16.8, 21.5, 32.7, 24.3, 3.7, 0.9)  # codes 1-6
#: Months on benefit per duration band: [from, until).
BENEFIT_MONTHS = {1: (0, 6), 2: (6, 12), 3: (12, 36), 4: (36, 60), 5: (60, 120), 6: (120, 180)}

EDUCATION_MISSING = 0.08  # "so the data-quality view has something to show"
OTHER_INCOMPLETE = 0.15  # on top of that: about a quarter incomplete (WB §3.2.1)
NOT_SEEN = 0.13  # without contact for more than eight weeks (with the stale returns: ~15 %)
REGIONAL_POOL = 0.63  # some withdraw: about 60 % in force

# --- People: origins, names and languages -------------------------------------------------------

_MALE = frozenset(
    ("Bas", "Daan", "Gijs", "Ibrahim", "Jeroen", "Lars", "Noah", "Pieter", "Quinten", "Rachid")
    + ("Thijs", "Wouter", "Bram", "Cor", "Emre", "Gerrit", "Jan", "Luuk", "Omar", "Sem")
    + ("Ruben", "Mehmet", "Koen")
)
_DUTCH_SURNAMES = tuple(
    n for n in LAST_NAMES if n not in {"Yılmaz", "El Amrani", "Kaya", "Bouzid", "Pinas", "Nguyen"}
)


@dataclass(frozen=True)
class Origin:
    key: str
    weight: int
    men: tuple[str, ...]
    women: tuple[str, ...]
    surnames: tuple[str, ...]
    statushouder: bool = False


def _names(*names: str, male: bool) -> tuple[str, ...]:
    return tuple(n for n in names if (n in _MALE) == male)


_DUTCH_FIRST = tuple(
    n
    for n in FIRST_NAMES
    if n
    not in {"Ibrahim", "Rachid", "Omar", "Yasmina", "Nadia", "Esra", "Emre", "Hatice", "Mehmet"}
    | {"Priya", "Dewi", "Anouk"}  # Anouk: only the demo log-in
)
# Names for the origins names.py does not cover: common given names and surnames, synthetic
# combinations (no real persons).
ORIGINS: tuple[Origin, ...] = (
    Origin(
        "nl",
        70,
        _names(*_DUTCH_FIRST, male=True),
        _names(*_DUTCH_FIRST, male=False),
        _DUTCH_SURNAMES,
    ),
    Origin("ma", 7, ("Ibrahim", "Rachid", "Omar"), ("Yasmina", "Nadia"), ("El Amrani", "Bouzid")),
    Origin("tr", 6, ("Emre", "Mehmet"), ("Hatice", "Esra"), ("Yılmaz", "Kaya")),
    Origin("sr", 3, ("Ruben", "Daan"), ("Priya", "Dewi"), ("Pinas",)),
    Origin(
        "sy",
        6,
        ("Ibrahim", "Omar", "Ahmad", "Khaled"),
        ("Yasmina", "Nadia", "Rania", "Lina"),
        ("Al Hassan", "Haddad", "Khalil", "Darwish"),
        statushouder=True,
    ),
    Origin(
        "er",
        5,
        ("Yonas", "Filmon", "Dawit", "Tesfay"),
        ("Semhar", "Senait", "Helen", "Luwam"),
        ("Tesfamariam", "Haile", "Gebremariam", "Kidane"),
        statushouder=True,
    ),
    Origin("pl", 3, ("Piotr", "Tomasz", "Pawel"), ("Agnieszka", "Olga", "Katarzyna"), ("Nowak",)),
)
_ORIGIN_WEIGHTS = [o.weight for o in ORIGINS]

_NL_LEVELS = {
    "nl": ((LanguageLevel.NATIVE, 1),),
    "ma": ((LanguageLevel.NATIVE, 6), (LanguageLevel.C1, 3), (LanguageLevel.B2, 1)),
    "tr": ((LanguageLevel.NATIVE, 4), (LanguageLevel.B2, 3), (LanguageLevel.B1, 3)),
    "sr": ((LanguageLevel.NATIVE, 1),),
    "sy": (
        (LanguageLevel.A1, 2),
        (LanguageLevel.A2, 4),
        (LanguageLevel.B1, 3),
        (LanguageLevel.B2, 1),
    ),
    "er": ((LanguageLevel.A1, 3), (LanguageLevel.A2, 5), (LanguageLevel.B1, 2)),
    "pl": ((LanguageLevel.A2, 3), (LanguageLevel.B1, 5), (LanguageLevel.B2, 2)),
}
_NATIVE = {
    "ma": ("Arabisch", "Tamazight"),
    "tr": ("Turks",),
    "sr": ("Sranantongo",),
    "sy": ("Arabisch",),
    "er": ("Tigrinya",),
    "pl": ("Pools",),
}
_SECOND = {
    "nl": (("Engels", LanguageLevel.B1), ("Engels", LanguageLevel.A2), ("Duits", LanguageLevel.A2)),
    "sy": (("Engels", LanguageLevel.A2), ("Koerdisch", LanguageLevel.B2)),
    "er": (("Arabisch", LanguageLevel.A2), ("Amhaars", LanguageLevel.B1)),
    "pl": (("Engels", LanguageLevel.B1), ("Duits", LanguageLevel.A2)),
    "tr": (("Engels", LanguageLevel.A2),),
    "ma": (("Frans", LanguageLevel.A2),),
    "sr": (("Engels", LanguageLevel.B1),),
}

# --- Texts -------------------------------------------------------------------------------------

TALENTS = (
    "Ik ben handig en werk graag buiten.",
    "Ik kan goed met mensen omgaan.",
    "Ik ben altijd op tijd en houd van een vaste structuur.",
    "Ik werk netjes en precies.",
    "Ik pak dingen snel op en leer graag iets nieuws.",
    "Ik ben sterk en vind zwaar werk niet erg.",
    "Ik kan goed samenwerken in een team.",
    "Ik houd van aanpakken; stilzitten is niets voor mij.",
    "Ik ben geduldig en zorg graag voor anderen.",
    "Ik kan goed overweg met computers.",
    "Ik ben creatief en denk graag mee.",
    "Ik kook graag en heb thuis altijd voor een groot gezin gezorgd.",
    "Ik ben rustig en kan goed zelfstandig werken.",
    "Ik kan goed organiseren en houd overzicht.",
    "Ik blijf vriendelijk tegen klanten, ook als het druk is.",
    "Ik repareer graag fietsen en andere apparaten.",
    "Ik ben betrouwbaar: wat ik afspreek, doe ik ook.",
    "Ik zie snel wat er moet gebeuren en vind schoonmaken niet erg.",
    "Ik kan goed met dieren omgaan.",
    "Ik heb veel geduld met kinderen en ouderen.",
    "Ik ben een doorzetter.",
    "Ik werk graag met mijn handen.",
    "Ik ken de regio goed en rijd al jaren schadevrij.",
)
TALENTS_STATUSHOUDER = (
    "Ik spreek meerdere talen en help graag nieuwe mensen op weg.",
    "In mijn land van herkomst had ik een eigen kapperszaak.",
    "Ik heb in mijn land in de bouw gewerkt en kan metselen en tegelen.",
    "Ik heb op een boerderij gewerkt en ben gewend aan hard werken.",
)
MOTIVATION = (
    "Ik wil weer meedoen en mijn eigen geld verdienen.",
    "Ik wil een goed voorbeeld zijn voor mijn kinderen.",
    "Ik wil niet meer thuis zitten; ik wil collega's en een dagritme.",
    "Ik wil mijn Nederlands verbeteren op de werkvloer.",
    "Ik wil laten zien wat ik kan en doorgroeien.",
    "Na mijn ziekte ben ik er klaar voor om weer te beginnen, rustig opbouwend.",
    "Ik wil uit de bijstand en zelf mijn huur kunnen betalen.",
)
DEVELOPMENT = (
    "Ik wil mijn heftruckcertificaat halen.",
    "Ik wil beter Nederlands leren spreken en schrijven.",
    "Ik wil een mbo-diploma halen, het liefst naast mijn werk.",
    "Ik wil leren werken met de computer en Excel.",
    "Ik wil een VCA-certificaat halen.",
    "Ik wil mijn rijbewijs halen.",
    "Ik wil de opleiding helpende zorg en welzijn doen.",
    "Ik wil een cursus hygiëne (HACCP) volgen.",
    "Ik wil leren hoe ik een sollicitatiegesprek goed voer.",
)

#: Work experience per kind of work: (role, where, what I did, occupation label).
EXPERIENCE: dict[str, tuple[tuple[str, str, str], ...]] = {
    WorkKind.GREY_GREEN: (
        ("Hovenier", "Hoveniersbedrijf {surname}", "Tuinen onderhouden, gras maaien, snoeien."),
        ("Medewerker groenvoorziening", "Gemeente {place}", "Plantsoenen bijhouden, zwerfafval."),
        ("Medewerker tuincentrum", "Tuincentrum De {noun}", "Planten verzorgen, klanten helpen."),
        ("Seizoenswerker fruitteelt", "Fruitbedrijf {surname}", "Appels en peren plukken."),
    ),
    WorkKind.CLEANING: (
        ("Schoonmaker", "Schoonmaakbedrijf {surname}", "Kantoren en trappenhuizen schoonmaken."),
        ("Huishoudelijk medewerker", "Thuiszorg {place}", "Huishoudelijke hulp bij ouderen."),
        ("Medewerker schoonmaak", "Ziekenhuis {place}", "Afdelingen en sanitair schoonmaken."),
    ),
    WorkKind.PRODUCTION_LOGISTICS: (
        ("Orderpicker", "Distributiecentrum {place}", "Orders verzamelen met een handscanner."),
        ("Productiemedewerker", "{surname} Verpakkingen", "Machines bijvullen en inpakken."),
        ("Magazijnmedewerker", "Groothandel {surname}", "Goederen ontvangen en opslaan."),
        ("Chauffeur bestelbus", "Koeriersdienst {surname}", "Pakketten bezorgen in de regio."),
    ),
    WorkKind.HOSPITALITY_CARE_RETAIL: (
        ("Medewerker bediening", "Restaurant De {noun}", "Bestellingen opnemen en serveren."),
        ("Afwasser", "Eetcafé De {noun}", "Afwassen en de keuken schoonhouden."),
        ("Kassamedewerker", "Supermarkt {surname}", "Afrekenen en klanten helpen."),
        ("Vakkenvuller", "Supermarkt {surname}", "Vakken vullen en voorraad bijhouden."),
        ("Gastvrouw", "Zorgcentrum De {noun}", "Koffie rondbrengen en bewoners helpen."),
        ("Helpende zorg", "Woonzorgcentrum De {noun}", "Bewoners helpen bij het dagritme."),
    ),
    WorkKind.BUSINESS_SERVICES: (
        ("Administratief medewerker", "Administratiekantoor {surname}", "Facturen inboeken."),
        ("Receptionist", "Kantoorverzamelgebouw {place}", "Bezoekers ontvangen, telefoon."),
        ("Medewerker klantenservice", "Klantcontactcentrum {place}", "Klanten te woord staan."),
    ),
    WorkKind.CONSTRUCTION_ICT_TECH: (
        ("Bouwplaatsmedewerker", "Bouwbedrijf {surname}", "Materiaal aanvoeren en opruimen."),
        ("Schilder", "Schildersbedrijf {surname}", "Kozijnen en muren schilderen."),
        ("Fietsenmaker", "Fietsenwinkel {surname}", "Fietsen repareren en onderhouden."),
        ("Beveiliger", "Beveiligingsbedrijf {place}", "Toegangscontrole en surveillance."),
        ("Helpdeskmedewerker", "ICT-bedrijf {surname}", "Gebruikers helpen met storingen."),
    ),
}
UNPAID = (
    ("Vrijwilliger voedselbank", "Voedselbank {place}", "Pakketten samenstellen en uitdelen."),
    ("Vrijwilliger buurthuis", "Buurthuis De {noun}", "Koffie schenken, activiteiten helpen."),
    ("Mantelzorger", "", "Zorg voor een familielid."),
    ("Vrijwilliger kringloopwinkel", "Kringloopwinkel De {noun}", "Spullen sorteren en prijzen."),
    ("Werkervaringsplaats", "Gemeente {place}", "Werkervaring opgedaan met begeleiding."),
)
ABROAD = (
    ("Kapper", "Eigen zaak (land van herkomst)", "Knippen en scheren, eigen klanten."),
    ("Bouwvakker", "Bouwbedrijf (land van herkomst)", "Metselen en tegelzetten."),
    ("Boer", "Familiebedrijf (land van herkomst)", "Akkerbouw en vee verzorgen."),
    ("Chauffeur", "Transportbedrijf (land van herkomst)", "Vrachtwagen rijden."),
    ("Naaister", "Kleermakerij (land van herkomst)", "Kleding maken en herstellen."),
)

INSTRUMENTS = (
    "Werkervaringsplaats",
    "Jobcoach",
    "Sollicitatietraining",
    "Proefplaatsing",
    "Taalcursus Nederlands op de werkvloer",
    "Praktijkdiagnose (14 weken)",
    "NOA Talentenscan",
    "Prettig gesprek met werkgevers",
    "Leerwerkplek",
    "Schuldhulpverlening (doorverwezen)",
)
RETURN_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    ReturnReason.TEMPORARILY_NOT_PLACEABLE: (
        (
            "Kandidaat heeft een zware periode door een scheiding en de zorg voor de kinderen; "
            "werken lukt nu niet. Kandidaat wil over een half jaar opnieuw beginnen.",
            "Over zes maanden opnieuw aanmelden; tot die tijd contact via de klantmanager en "
            "ondersteuning door het wijkteam.",
        ),
        (
            "Door een operatie en de revalidatie daarna is kandidaat de komende maanden niet "
            "belastbaar. Motivatie is goed.",
            "Na het herstel (verwacht over vier maanden) een belastbaarheidsonderzoek en dan "
            "opnieuw aanmelden.",
        ),
        (
            "Schulden en een dreigende huisuitzetting vragen nu alle aandacht.",
            "Eerst schuldhulpverlening afronden; daarna opnieuw aanmelden voor bemiddeling.",
        ),
    ),
    ReturnReason.STRUCTURALLY_NOT_PLACEABLE: (
        (
            "Na ruim twee jaar bemiddeling zonder resultaat: kandidaat kan door psychische "
            "klachten geen regelmatig werk volhouden, ook niet met een jobcoach.",
            "Participatieplaats of dagbesteding via de Wmo; onderzoek naar beschut werk.",
        ),
        (
            "Fysieke beperkingen laten ook aangepast werk niet toe (max. 2 uur per dag).",
            "Aanvraag beoordeling arbeidsvermogen bij UWV; ondersteuning richting "
            "vrijwilligerswerk.",
        ),
    ),
    ReturnReason.NOT_TARGET_GROUP_OR_NO_SHOW: (
        (
            "Kandidaat is drie keer niet verschenen op afspraken en reageert niet op "
            "telefoon, e-mail of brief.",
            "Klantmanager neemt contact op; zo nodig huisbezoek en signaal naar de "
            "uitkeringsadministratie.",
        ),
        (
            "Kandidaat is verhuisd naar een gemeente buiten de regio en valt niet meer onder "
            "onze dienstverlening.",
            "Dossier overdragen aan de nieuwe woongemeente.",
        ),
        (
            "Kandidaat heeft een WW-uitkering gekregen en valt niet meer onder de Participatiewet.",
            "Verwijzen naar UWV voor ondersteuning bij het zoeken naar werk.",
        ),
    ),
    ReturnReason.END_YOUTH_SEARCH_PERIOD: (
        (
            "De zoekperiode van vier weken is voorbij. Kandidaat heeft twee sollicitaties "
            "verstuurd maar nog geen werk gevonden; terug naar school is een optie.",
            "Gesprek met het jongerenloket over een mbo-opleiding; daarna beoordeling van de "
            "aanvraag.",
        ),
        (
            "De zoekperiode is afgelopen; kandidaat heeft zelf een bijbaan gevonden van 12 uur "
            "per week.",
            "Aanvraag beoordelen met het inkomen uit de bijbaan; nazorg is niet nodig.",
        ),
    ),
}
SIGNAL_TEXTS = {
    SignalKind.NO_SHOW: "Niet verschenen op het gesprek van {day} en niet afgemeld.",
    SignalKind.REFUSED_WORK: "Passend werk bij {employer} geweigerd zonder goede reden.",
    SignalKind.OTHER: "Heeft de afgesproken sollicitaties niet verstuurd.",
}
DECISION_NOTES = {
    SignalDecision.NO_MEASURE: "Kandidaat was ziek en had dit niet kunnen melden; geen maatregel.",
    SignalDecision.WARNING: "Eerste keer: schriftelijke waarschuwing gegeven.",
    SignalDecision.MEASURE: "Herhaald verzuim: uitkering een maand met 20 % verlaagd.",
}
INTAKE_NOTES = (
    "Intakegesprek: werkervaring, wensen en mogelijkheden doorgenomen.",
    "Intake: uitgelegd wat Werktop is en wat de kandidaat kan verwachten.",
    "Eerste gesprek; kandidaat wil graag aan het werk, liefst dicht bij huis.",
)
CM_NOTES = (
    "Voortgang besproken; profiel aangevuld.",
    "Kandidaat gebeld over de planning van de komende weken.",
    "Huisbezoek: situatie thuis besproken, kinderopvang is geregeld.",
    "Gesprek over taalles naast het werk.",
    "Afspraken uit het vorige gesprek nagelopen.",
)
CONSULTANT_NOTES = (
    "Kennismaking bij het WerkBedrijf; verteld wat de kandidaat kan verwachten.",
    "Telefonisch contact over een mogelijke kennismaking bij een werkgever.",
    "Sollicitatiegesprek voorbereid.",
    "Meeloopdag nabesproken; kandidaat was enthousiast.",
    "Cv samen bijgewerkt.",
    "Prettig gesprek met werkgevers bijgewoond; twee werkgevers willen kennismaken.",
    "Bericht gestuurd met een vacature die past bij de wensen.",
)
AGREEMENTS = (
    "Kandidaat stuurt deze week twee sollicitaties.",
    "Volgende afspraak over twee weken.",
    "Kandidaat meldt zich aan voor de taalcursus.",
    "Consulent belt de werkgever voor een meeloopdag.",
    "",
    "",
)
APPOINTMENT_SUBJECTS = (
    "Voortgangsgesprek",
    "Kennismakingsgesprek",
    "Sollicitatiegesprek voorbereiden",
    "Meeloopdag bespreken",
    "Profiel samen bijwerken",
    "Prettig gesprek met werkgevers",
)
LIMITATIONS = (
    (
        LimitationNature.PHYSICAL,
        "Rugklachten: niet zwaar tillen (max. 10 kg), niet lang staan.",
        "Afwisselend zittend en staand werk; een sta-zittafel.",
    ),
    (
        LimitationNature.PSYCHOLOGICAL,
        "Kan slecht tegen drukte en onverwachte veranderingen.",
        "Een vaste werkplek, een vast aanspreekpunt en rustig inwerken met een jobcoach.",
    ),
    (
        LimitationNature.INTELLECTUAL,
        "Heeft uitleg stap voor stap nodig; lezen gaat moeilijk.",
        "Instructies voordoen en met pictogrammen; een vaste collega als buddy.",
    ),
    (
        LimitationNature.PHYSICAL,
        "Slechthorend aan één oor.",
        "Niet in lawaai; afspraken ook op papier of per bericht.",
    ),
    (
        LimitationNature.OTHER,
        "Diabetes: regelmatig eten en pauzes nodig.",
        "Vaste pauzes; mag tussendoor iets eten.",
    ),
)
HANDOVER_NOTES = (
    "Gemotiveerd; wil graag in de buurt werken.",
    "Profiel compleet. Let op: kinderopvang tot 15.00 uur.",
    "Warme overdracht gedaan in een gezamenlijk gesprek.",
    "Kandidaat heeft een jobcoach nodig bij de start.",
    "",
)
RESIDENTIAL = (
    "Kerkstraat",
    "Dorpsstraat",
    "Merelstraat",
    "Lijsterbeslaan",
    "Beatrixstraat",
    "Julianastraat",
    "Vondelstraat",
    "Schubertlaan",
    "Eikenlaan",
    "Tulpstraat",
    "Prins Bernhardlaan",
    "Vogelzang",
    "Berkenhof",
    "Molenweg",
)

# Places of the Werktop municipalities (real postcode areas and centres).
WERKTOP_PLACES: dict[str, MunicipalityInfo] = {
    "Zaanstad": MunicipalityInfo(
        1,
        (
            Place("Zaandam", ("1501", "1502", "1503", "1504", "1505", "1506", "1507"), 52.44, 4.83),
            Place("Wormerveer", ("1521", "1523"), 52.4910, 4.7890),
            Place("Krommenie", ("1561", "1562"), 52.4990, 4.7630),
        ),
        ("Westzijde", "Oostzijde", "Peperstraat", "Vinkenstraat", "Zuiddijk"),
        (),
    ),
    "Purmerend": MunicipalityInfo(
        1,
        (Place("Purmerend", ("1441", "1442", "1443", "1444", "1445", "1446"), 52.5050, 4.9590),),
        ("Koestraat", "Gedempte Singelgracht", "Waterlandlaan", "Zuiderweg"),
        (),
    ),
    "Lansingerland": MunicipalityInfo(
        1,
        (
            Place("Berkel en Rodenrijs", ("2651", "2652"), 51.9930, 4.4760),
            Place("Bergschenhoek", ("2661", "2662"), 51.9890, 4.4980),
            Place("Bleiswijk", ("2665", "2666"), 52.0110, 4.5320),
        ),
        ("Noordeindseweg", "Raadhuisplein", "Kerkstraat", "Dorpsstraat"),
        (),
    ),
    "Hilversum": MunicipalityInfo(
        1,
        (
            Place(
                "Hilversum",
                ("1211", "1212", "1213", "1214", "1215", "1216", "1217", "1221", "1222"),
                52.2290,
                5.1760,
            ),
        ),
        ("Kerkstraat", "Groest", "Larenseweg", "Neuweg", "Soestdijkerstraatweg"),
        (),
    ),
    "Doetinchem": MunicipalityInfo(
        1,
        (
            Place(
                "Doetinchem",
                ("7001", "7002", "7003", "7004", "7005", "7006", "7007"),
                51.965,
                6.289,
            ),
            Place("Gaanderen", ("7011",), 51.9320, 6.3460),
            Place("Wehl", ("7031",), 51.9610, 6.2100),
        ),
        ("Hamburgerstraat", "Grutstraat", "Terborgseweg", "Keppelseweg"),
        (),
    ),
}

# --- Plans ---------------------------------------------------------------------------------------


@dataclass
class _Person:
    """What the quotas deal out to one candidate."""

    age_band: int
    sex: str
    household: int
    education: int | None
    health: int
    benefit_band: int | None  # None: no benefit with a start date
    incomplete: bool
    benefit_type: str = BenefitType.SOCIAL_ASSISTANCE
    return_reason: str | None = None


@dataclass
class _Plan:
    candidate: Candidate
    languages: list[CandidateLanguage] = field(default_factory=list)
    experience: list[WorkExperience] = field(default_factory=list)
    memberships: list[TargetGroupMembership] = field(default_factory=list)
    health: HealthProfile | None = None
    ladder: list[LadderStepChange] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    contacts: list[CandidateContact] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    episodes: list[ServiceEpisode] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    skills: list[int] = field(default_factory=list)
    wished_skills: list[int] = field(default_factory=list)
    wished_occupations: list[int] = field(default_factory=list)


@dataclass
class _RegionStaff:
    region: Region
    client_managers: dict[int, list[Staff]]  # by municipality id
    cm_pool: list[Staff]
    consultants: dict[int, list[Staff]]
    rm_pool: list[Staff]
    employers: dict[int, list[int]]  # employer ids by municipality id
    employer_pool: list[int]


@dataclass
class _State:
    today: dt.date
    now: dt.datetime
    bsn_used: set[str]
    users: dict[int, int]  # staff id -> user id
    occupations: dict[str, list[tuple[int, str]]]  # by work kind: (id, label)
    occupation_by_label: dict[str, int]
    skills_of: dict[int, list[int]]
    skill_ids: list[int]
    demo_cm: Staff | None
    demo_rm: Staff | None
    demo_rm_region: int | None
    werkgever_employer_id: int | None
    contacts_per_person: tuple[int, int]
    batches: dict[int, HandoverBatch] = field(default_factory=dict)
    region_employers: list[int] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))


# --- Small helpers -----------------------------------------------------------------------------


def _quota(ctx: SeedContext, n: int, weights: Sequence[float]) -> list[int]:
    """``n`` indexes into ``weights`` in exact proportion (largest remainder), shuffled."""
    total = sum(weights)
    raw = [w * n / total for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[
        : n - sum(counts)
    ]:
        counts[i] += 1
    values = [i for i, c in enumerate(counts) for _ in range(c)]
    ctx.rng.shuffle(values)
    return values


def _weighted(ctx: SeedContext, pairs: Sequence[tuple[Any, float]]) -> Any:
    return ctx.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _moment(state: _State, day: dt.date, ctx: SeedContext) -> dt.datetime:
    """A moment during office hours on ``day``, never after now."""
    at = timezone.make_aware(
        dt.datetime.combine(day, dt.time(ctx.rng.randint(8, 16), ctx.rng.choice((0, 15, 30, 45))))
    )
    return min(at, state.now - dt.timedelta(minutes=ctx.rng.randint(5, 90)))


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _benefit_start(ctx: SeedContext, today: dt.date, band: int, earliest: dt.date) -> dt.date:
    low, high = BENEFIT_MONTHS[band]
    latest_day = today - dt.timedelta(days=int(low * 30.44) + 1)
    first_day = max(earliest, today - dt.timedelta(days=int(high * 30.44) - 1))
    for _ in range(50):
        start = first_day + dt.timedelta(days=ctx.rng.randint(0, (latest_day - first_day).days))
        if benefit_duration_band(start, today) == band:
            return start
    # Walk towards the band (never needed in practice, kept for safety).
    start = latest_day
    while benefit_duration_band(start, today) < band:
        start -= dt.timedelta(days=1)
    while benefit_duration_band(start, today) > band:
        start += dt.timedelta(days=1)
    return start


def _birth_date(ctx: SeedContext, today: dt.date, age: int) -> dt.date:
    latest = _add_years(today, -age)
    earliest = _add_years(today, -age - 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=ctx.rng.randint(0, (latest - earliest).days))


def _age_on(birth: dt.date, day: dt.date) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def _completeness(filled: dict[str, bool]) -> int:
    try:
        from werkbrug.candidates.completeness import ITEM_CODES, assess
    except ImportError:  # pragma: no cover - the completeness module is optional here
        return 100 * sum(filled.values()) // len(filled)
    return assess({k: v for k, v in filled.items() if k in ITEM_CODES}).score


# --- People ------------------------------------------------------------------------------------


def _people(ctx: SeedContext, n: int, *, young_returns: int, other_returns: int) -> list[_Person]:
    """Deal out the Werktop shares over ``n`` people, and pick who is returned (and why)."""
    ages = [a + 1 for a in _quota(ctx, n, AGE_SHARES)]
    sexes = [SEX_SHARES[i][0] for i in _quota(ctx, n, [s for _k, s in SEX_SHARES])]
    households = [h + 1 for h in _quota(ctx, n, HOUSEHOLD_SHARES)]
    missing = round(n * EDUCATION_MISSING)
    education: list[int | None] = [None] * missing + [
        e + 1 for e in _quota(ctx, n - missing, EDUCATION_SHARES)
    ]
    ctx.rng.shuffle(education)
    health = [h + 1 for h in _quota(ctx, n, HEALTH_SHARES)]
    # Benefit types: mostly social assistance; those with a benefit get a duration band.
    with_start = [
        _weighted(
            ctx,
            [
                (BenefitType.SOCIAL_ASSISTANCE, 88),
                (BenefitType.UWV, 4),
                (BenefitType.NO_BENEFIT, 5),
                (BenefitType.WMO_DAY_ACTIVITIES, 2),
                (BenefitType.WSW, 1),
            ],
        )
        for _ in range(n)
    ]
    has_start = [t in (BenefitType.SOCIAL_ASSISTANCE, BenefitType.UWV) for t in with_start]
    bands = iter([b + 1 for b in _quota(ctx, sum(has_start), BENEFIT_DURATION_SHARES)])
    benefit: list[int | None] = [next(bands) if s else None for s in has_start]
    # The youngest band cannot have been on benefit for ten years or more: swap.
    for i in range(n):
        if ages[i] == 1 and benefit[i] == 6:
            j = next((j for j in range(n) if ages[j] > 1 and benefit[j] not in (None, 6)), None)
            if j is not None:
                benefit[i], benefit[j] = benefit[j], benefit[i]
    others = [i for i in range(n) if education[i] is not None]
    extra = set(ctx.rng.sample(others, min(len(others), round(n * OTHER_INCOMPLETE))))
    people = [
        _Person(
            age_band=ages[i],
            sex=sexes[i],
            household=households[i],
            education=education[i],
            health=health[i],
            benefit_band=benefit[i],
            incomplete=education[i] is None or i in extra,
        )
        for i in range(n)
    ]
    for person, kind in zip(people, with_start, strict=True):
        person.benefit_type = kind
    complete = [i for i, p in enumerate(people) if not p.incomplete]
    young = [i for i in complete if people[i].age_band == 1]
    for i in ctx.rng.sample(young, min(len(young), young_returns)):
        people[i].return_reason = ReturnReason.END_YOUTH_SEARCH_PERIOD
    # Long service needs a long benefit (or none): keep the timeline possible.
    rest = [i for i in complete if people[i].age_band > 1 and (people[i].benefit_band or 9) >= 4]
    reasons = (
        ReturnReason.TEMPORARILY_NOT_PLACEABLE,
        ReturnReason.STRUCTURALLY_NOT_PLACEABLE,
        ReturnReason.NOT_TARGET_GROUP_OR_NO_SHOW,
    )
    for k, i in enumerate(ctx.rng.sample(rest, min(len(rest), other_returns))):
        people[i].return_reason = reasons[k % len(reasons)]
    return people


# --- One candidate -----------------------------------------------------------------------------


def _plan(
    ctx: SeedContext,
    state: _State,
    staff: _RegionStaff,
    municipality: Municipality,
    info: MunicipalityInfo,
    person: _Person,
    pk: int,
    *,
    rich: bool,
    cm: Staff | None = None,
    consultant: Staff | None = None,
) -> _Plan:
    rng, today = ctx.rng, state.today
    origin = rng.choices(ORIGINS, weights=_ORIGIN_WEIGHTS)[0]
    first = rng.choice(origin.men if person.sex == "man" else origin.women)
    last = rng.choice(origin.surnames)
    # Age within the band, old enough for the benefit band.
    low, high = AGE_BANDS[person.age_band - 1]
    if person.benefit_band:
        low = max(low, 19 + BENEFIT_MONTHS[person.benefit_band][0] // 12)
    if person.return_reason == ReturnReason.END_YOUTH_SEARCH_PERIOD:
        high = min(high, 24)
    birth = _birth_date(ctx, today, rng.randint(low, max(low, high)))
    adult = _add_years(birth, 18)
    benefit_type = person.benefit_type
    benefit_start = (
        _benefit_start(ctx, today, person.benefit_band, adult) if person.benefit_band else None
    )
    on_benefit_days = (today - benefit_start).days if benefit_start else 900
    place = rng.choice(info.places)
    city = place.name or municipality.name
    while True:
        bsn = generate_bsn(rng)
        if bsn not in state.bsn_used:
            state.bsn_used.add(bsn)
            break
    protected = protect_bsn(bsn)

    # Who works with this person.
    cm = cm or _pick(ctx, staff.client_managers.get(municipality.pk) or staff.cm_pool)
    if cm is None:
        cm = _pick(ctx, staff.rm_pool)
    handed_over = not person.incomplete and cm is not None
    if handed_over and consultant is None:
        pool = staff.consultants.get(municipality.pk) or staff.rm_pool
        if state.demo_rm and staff.region.pk == state.demo_rm_region:
            share = min(0.2, 80 / max(1, state.totals["expected_handovers"]))
            consultant = state.demo_rm if rng.random() < share else _pick(ctx, pool)
        else:
            consultant = _pick(ctx, [s for s in pool if s.pk != cm.pk] or pool)

    # Timeline: handover (when complete), intake before it, after the benefit started.
    reason = person.return_reason if handed_over else None
    return_ago = None
    if reason == ReturnReason.END_YOUTH_SEARCH_PERIOD:
        return_ago = rng.randint(3, 200)
        handover_ago = return_ago + 25
    elif reason:
        service = {
            ReturnReason.TEMPORARILY_NOT_PLACEABLE: (120, 420),
            ReturnReason.STRUCTURALLY_NOT_PLACEABLE: (735, 800),
            ReturnReason.NOT_TARGET_GROUP_OR_NO_SHOW: (30, 180),
        }[reason]
        return_ago = rng.randint(3, 150)
        handover_ago = return_ago + rng.randint(*service)
    else:
        handover_ago = _weighted(
            ctx,
            [
                (rng.randint(5, 364), 72),
                (rng.randint(365, 660), 22),
                (rng.randint(661, 725), 6),
            ],
        )
    handover_ago = max(2, min(handover_ago, on_benefit_days - 3))
    batch = state.batches.get(municipality.pk) if handed_over and not reason else None
    if batch is not None:
        batch_ago = (today - batch.created_at.date()).days
        if batch_ago <= on_benefit_days - 3:
            handover_ago = batch_ago  # in the municipality's file handed over at once
        else:
            batch = None
    if return_ago is not None and return_ago >= handover_ago:
        return_ago = max(1, handover_ago - 20)
    intake_ago = handover_ago + min(rng.randint(7, 60), max(1, on_benefit_days - handover_ago))
    if not handed_over:
        intake_ago = rng.randint(5, max(6, min(on_benefit_days, 700)))
    intake_day = today - dt.timedelta(days=intake_ago)
    handover_day = today - dt.timedelta(days=handover_ago) if handed_over else None

    # The profile.
    missing: set[str] = set()
    if person.incomplete and person.education is not None:
        missing = set(
            rng.sample(
                ["talents", "wishes", "languages", "hours_available", "driving_licence", "travel"],
                rng.choice((1, 1, 2, 3)),
            )
        )
    elif person.incomplete and rng.random() < 0.4:
        missing = {rng.choice(["talents", "wishes", "languages", "hours_available"])}
    ladder = _weighted(ctx, [(2, 4), (3, 30), (4, 35), (5, 26), (6, 5)])
    segment = (
        _weighted(ctx, [(Segment.WORK, 80), (Segment.DEVELOPMENT, 20)])
        if ladder >= 5
        else _weighted(
            ctx, [(Segment.WORK, 25), (Segment.DEVELOPMENT, 60), (Segment.PARTICIPATION, 15)]
        )
        if ladder >= 3
        else _weighted(ctx, [(Segment.DEVELOPMENT, 40), (Segment.PARTICIPATION, 60)])
    )
    kinds = rng.sample(list(WorkKind.values), rng.choice((1, 1, 2, 2, 3)))
    hours = rng.choice((8, 12, 16, 20, 24, 24, 28, 32, 32, 36, 40))
    transport = _weighted(
        ctx,
        [(Transport.BICYCLE, 50), (Transport.NONE, 15), (Transport.CAR, 25), (Transport.MOPED, 10)],
    )
    licence = transport == Transport.CAR or rng.random() < 0.25
    talents = rng.sample(TALENTS, 2)
    if origin.statushouder and rng.random() < 0.5:
        talents[1] = rng.choice(TALENTS_STATUSHOUDER)
    stale = rng.random() < 0.12
    confirmed_ago = rng.randint(200, 500) if stale else rng.randint(0, min(170, intake_ago))
    house = f"{rng.randint(1, 220)}{rng.choice(('', '', '', 'a', 'b', '-2'))}"
    streets = info.streets + RESIDENTIAL
    email = (
        f"{slugify(first)}.{slugify(last).replace('-', '')}{rng.randint(1, 99)}@mail.example.nl"
        if rng.random() < 0.85
        else ""
    )
    candidate = Candidate(
        id=pk,
        uuid=ctx.uuid(),
        created_at=_moment(state, intake_day, ctx),
        region_id=staff.region.pk,
        municipality_id=municipality.pk,
        bsn_pseudonym=protected.pseudonym,
        bsn_encrypted=protected.encrypted,
        first_name=first,
        last_name=last,
        birth_date=birth,
        sex=person.sex,
        household=person.household,
        email=email,
        phone=f"+316{rng.randrange(10_000_000, 100_000_000)}"
        if rng.random() < 0.95 or not person.incomplete
        else "",
        street=f"{rng.choice(streets)} {house}",
        postcode=_postcode(ctx, place),
        city=city,
        latitude=Decimal(f"{place.lat + rng.gauss(0, 0.01):.5f}"),
        longitude=Decimal(f"{place.lon + rng.gauss(0, 0.015):.5f}"),
        benefit_type=benefit_type,
        benefit_start=benefit_start,
        benefit_duration=person.benefit_band,
        ladder_step=ladder,
        segment=segment,
        deployability=Deployability.YES,
        education_level=person.education,
        basic_qualification=(person.education or 0) >= 4 and rng.random() < 0.8,
        driving_licence=None if "driving_licence" in missing else licence,
        transport=transport,
        hours_available=None if "hours_available" in missing else hours,
        available_from=today - dt.timedelta(days=rng.randint(0, 120))
        if rng.random() < 0.8
        else today + dt.timedelta(days=rng.randint(7, 60)),
        talents="" if "talents" in missing else " ".join(talents),
        motivation=rng.choice(MOTIVATION) if rng.random() < 0.85 else "",
        development_goals=rng.choice(DEVELOPMENT) if rng.random() < 0.7 else "",
        wished_work_kinds=[] if "wishes" in missing else kinds,
        wished_hours_min=None if "wishes" in missing else max(4, hours - rng.choice((0, 4, 8))),
        wished_hours_max=None if "wishes" in missing else hours,
        max_travel_minutes=None if "travel" in missing else rng.choice((15, 20, 30, 30, 45, 60)),
        max_travel_km=None if "travel" in missing or rng.random() < 0.6 else rng.randint(5, 30),
        client_manager_id=cm.pk if cm else None,
        consultant_id=consultant.pk if handed_over and consultant else None,
        status=JourneyStatus.HANDED_OVER if handed_over else JourneyStatus.IN_CASELOAD,
        handed_over_at=handover_day,
        profile_confirmed_at=_moment(
            state, today - dt.timedelta(days=min(confirmed_ago, intake_ago)), ctx
        )
        if rng.random() < 0.9
        else None,
        informed_at=intake_day if handed_over or rng.random() < 0.5 else None,
    )
    if candidate.wished_hours_min and candidate.wished_hours_max:
        candidate.wished_hours_min = min(candidate.wished_hours_min, candidate.wished_hours_max)
    plan = _Plan(candidate=candidate)
    _languages(ctx, plan, origin, skip="languages" in missing)
    _experience(ctx, state, plan, origin, kinds, birth, city, rich=rich)
    _taxonomy(ctx, state, plan, kinds, skip_wishes="wishes" in missing)
    _memberships(ctx, state, plan, origin, birth, intake_day)
    _health(ctx, plan, person.health, intake_day, cm)
    _ladder(ctx, state, plan, ladder, intake_day, handover_day, cm, consultant)
    if handed_over:
        assert cm is not None and consultant is not None and handover_day is not None
        _handover(ctx, state, plan, cm, consultant, handover_day, batch)
        if reason and return_ago is not None:
            _return(ctx, state, plan, reason, handover_day, today - dt.timedelta(days=return_ago))
    _consents(ctx, state, staff, plan, cm, consultant, intake_day, handover_day)
    _contacts(ctx, state, plan, cm, consultant, intake_day, handover_day)
    if handed_over and rng.random() < (0.06 if rich else 0.03):
        _signal(ctx, state, plan, cm, consultant, handover_day)
    _appointments(ctx, state, plan, cm, consultant, municipality)
    return plan


def _pick(ctx: SeedContext, pool: Sequence[Staff]) -> Staff | None:
    return ctx.rng.choice(pool) if pool else None


def _languages(ctx: SeedContext, plan: _Plan, origin: Origin, *, skip: bool) -> None:
    if skip:
        return
    c, rng = plan.candidate, ctx.rng
    rows = [("Nederlands", _weighted(ctx, _NL_LEVELS[origin.key]))]
    for native in _NATIVE.get(origin.key, ()):
        if native == "Tamazight" and rng.random() < 0.6:
            continue
        rows.append((native, LanguageLevel.NATIVE))
    if rng.random() < 0.4:
        language, level = rng.choice(_SECOND[origin.key])
        if language not in {r[0] for r in rows}:
            rows.append((language, level))
    plan.languages = [
        CandidateLanguage(
            uuid=ctx.uuid(), created_at=c.created_at, candidate_id=c.pk, language=lang, level=lvl
        )
        for lang, lvl in rows
    ]


def _experience(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    origin: Origin,
    kinds: list[str],
    birth: dt.date,
    city: str,
    *,
    rich: bool,
) -> None:
    c, rng, year = plan.candidate, ctx.rng, state.today.year
    rows: list[tuple[tuple[str, str, str], bool]] = []
    if rng.random() < 0.939:  # Tabel 6.4: 93.9 % worked for pay before
        count = rng.choice((1, 1, 2, 2, 3)) if rich else rng.choice((1, 1, 2))
        for _ in range(count):
            kind = rng.choice(kinds) if rng.random() < 0.7 else rng.choice(list(EXPERIENCE))
            rows.append((rng.choice(EXPERIENCE[kind]), True))
        if origin.statushouder and rng.random() < 0.6:
            rows[-1] = (rng.choice(ABROAD), True)
    if rng.random() < 0.35:
        rows.append((rng.choice(UNPAID), False))
    end = year - rng.randint(0, 4)
    start_limit = birth.year + 17
    for (role, where, what), paid in rows:
        length = rng.randint(1, 6)
        to_year = max(start_limit + 1, min(end, year))
        from_year = max(start_limit, to_year - length)
        plan.experience.append(
            WorkExperience(
                uuid=ctx.uuid(),
                created_at=c.created_at,
                candidate_id=c.pk,
                role=role,
                employer_name=where.format(
                    surname=rng.choice(_DUTCH_SURNAMES), noun=rng.choice(NOUNS), place=city
                ),
                occupation_id=state.occupation_by_label.get(role.lower()),
                from_year=max(1950, from_year),
                to_year=None if not paid and rng.random() < 0.5 else max(1950, to_year),
                paid=paid,
                description=what,
            )
        )
        end = from_year - rng.randint(0, 2)


def _taxonomy(
    ctx: SeedContext, state: _State, plan: _Plan, kinds: list[str], *, skip_wishes: bool
) -> None:
    """Skills and wished occupations from the curated taxonomy, when it is loaded."""
    if not state.skill_ids and not state.occupations:
        return
    rng = ctx.rng
    wanted: list[int] = []
    for kind in kinds:
        options = state.occupations.get(kind, [])
        if options:
            wanted.extend(o for o, _label in rng.sample(options, min(len(options), 2)))
    wanted = list(dict.fromkeys(wanted))[:3]
    near = [s for o in wanted for s in state.skills_of.get(o, [])]
    experienced = [e.occupation_id for e in plan.experience if e.occupation_id]
    had = [s for o in experienced for s in state.skills_of.get(o, [])]
    pool = list(dict.fromkeys(had + near)) or state.skill_ids
    if pool:
        plan.skills = rng.sample(pool, min(len(pool), rng.randint(3, 6)))
    if not skip_wishes:
        plan.wished_occupations = wanted
        if near:
            plan.wished_skills = rng.sample(
                list(dict.fromkeys(near)), min(len(set(near)), rng.randint(1, 3))
            )


def _memberships(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    origin: Origin,
    birth: dt.date,
    intake: dt.date,
) -> None:
    c, rng, today = plan.candidate, ctx.rng, state.today
    age = _age_on(birth, today)

    def add(group: str, **kw: Any) -> None:
        plan.memberships.append(
            TargetGroupMembership(
                uuid=ctx.uuid(), created_at=c.created_at, candidate_id=c.pk, group=group, **kw
            )
        )

    turned_27 = _add_years(birth, 27)
    if age < 27 or (age < 30 and turned_27 > intake):
        # Valid until the 27th birthday; for some that lies in the past (data quality).
        add(
            TargetGroup.YOUTH,
            decided_by="gemeente",
            valid_from=max(intake, _add_years(birth, 18)),
            valid_to=turned_27 - dt.timedelta(days=1),
        )
    if age >= 55:
        add(TargetGroup.OLDER, decided_by="gemeente", valid_from=_add_years(birth, 55))
    if origin.statushouder:
        # A temporary asylum residence permit runs five years; some have run out and need a
        # check (data quality).
        permit = today - dt.timedelta(days=rng.randint(300, 2600))
        valid_to = _add_years(permit, 5)
        add(
            TargetGroup.STATUS_HOLDER,
            decided_by="gemeente",
            valid_from=permit,
            valid_to=valid_to,
            next_check_on=valid_to - dt.timedelta(days=90),
        )
    roll = rng.random()
    if roll < 0.05:
        granted = today - dt.timedelta(days=rng.randint(30, 1500))
        expired = rng.random() < 0.25
        add(
            TargetGroup.JOB_AGREEMENT,
            decided_by="uwv",
            valid_from=granted,
            valid_to=granted + dt.timedelta(days=rng.randint(365, 1000)) if expired else None,
            next_check_on=_add_years(granted, 5) if not expired else None,
        )
    elif roll < 0.07:
        add(
            TargetGroup.JOB_AGREEMENT,
            status=rng.choice((MembershipStatus.REQUESTED, MembershipStatus.IN_PROGRESS)),
            decided_by="uwv",
        )


def _health(ctx: SeedContext, plan: _Plan, rating: int, intake: dt.date, cm: Staff | None) -> None:
    c, rng = plan.candidate, ctx.rng
    chance = {1: 0.02, 2: 0.05, 3: 0.14, 4: 0.5, 5: 0.7}[rating]
    limitation = rng.random() < chance
    nature, text, adjustments = rng.choice(LIMITATIONS) if limitation else ("", "", "")
    plan.health = HealthProfile(
        uuid=ctx.uuid(),
        created_at=c.created_at,
        candidate_id=c.pk,
        self_rated_health=rating,
        has_limitation=limitation,
        nature=nature,
        structural=limitation and rng.random() < 0.5,
        limitations=text,
        adjustments_needed=adjustments,
    )
    if limitation and rng.random() < 0.5:
        plan.memberships.append(
            TargetGroupMembership(
                uuid=ctx.uuid(),
                created_at=c.created_at,
                candidate_id=c.pk,
                group=TargetGroup.DISABILITY,
                decided_by=rng.choice(("uwv", "gemeente")),
                valid_from=intake,
            )
        )


def _ladder(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    step: int,
    intake: dt.date,
    handover: dt.date | None,
    cm: Staff | None,
    consultant: Staff | None,
) -> None:
    c, rng = plan.candidate, ctx.rng
    first = max(1, step - rng.choice((0, 0, 1, 1, 2)))
    rows = [(first, intake, cm, "Vastgesteld bij de intake.")]
    if first < step:
        later = handover or intake + dt.timedelta(days=rng.randint(20, 200))
        later = min(later + dt.timedelta(days=rng.randint(30, 150)), state.today)
        if step - first == 2:
            middle = intake + (later - intake) / 2
            rows.append((first + 1, middle, cm, "Vrijwilligerswerk gestart."))
        rows.append((step, later, consultant or cm, "Stap omhoog na de evaluatie."))
    for value, day, by, note in rows:
        plan.ladder.append(
            LadderStepChange(
                uuid=ctx.uuid(),
                created_at=c.created_at,
                candidate_id=c.pk,
                step=value,
                assessed_on=min(day, state.today),
                recorded_by_id=by.pk if by else None,
                note=note,
            )
        )


def _handover(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    cm: Staff,
    consultant: Staff,
    day: dt.date,
    batch: HandoverBatch | None,
) -> None:
    c, rng = plan.candidate, ctx.rng
    filled = {
        "contact": bool(c.phone or c.email),
        "address": True,
        "benefit": True,
        "ladder_step": True,
        "segment": True,
        "education_level": c.education_level is not None,
        "languages": bool(plan.languages),
        "driving_licence": c.driving_licence is not None,
        "hours_available": c.hours_available is not None,
        "available_from": True,
        "talents": bool(c.talents),
        "skills": bool(plan.skills),
        "wishes": bool(c.wished_work_kinds),
        "travel": True,
        "client_manager": True,
        "work_experience": bool(plan.experience),
        "development_goals": bool(c.development_goals),
        "coordinates": True,
        "benefit_start": c.benefit_start is not None,
        "wished_hours": c.wished_hours_min is not None,
        "informed": True,
        "profile_confirmed": True,
    }
    if batch is not None:
        batch.handed_over += 1
    plan.handovers.append(
        Handover(
            uuid=ctx.uuid(),
            created_at=_moment(state, day, ctx),
            candidate_id=c.pk,
            from_staff_id=cm.pk,
            to_staff_id=consultant.pk,
            on=day,
            completeness=_completeness(filled),
            warm=batch is None and rng.random() < 0.6,
            note=rng.choice(HANDOVER_NOTES),
            batch_id=batch.pk if batch is not None else None,
        )
    )
    episode_end = None
    phase = _weighted(
        ctx,
        [
            (EpisodePhase.MEDIATION, 60),
            (EpisodePhase.INTERVENTION, 15),
            (EpisodePhase.DIAGNOSIS, 10),
            (EpisodePhase.PLACEMENT, 10),
            (EpisodePhase.AFTERCARE, 5),
        ],
    )
    plan.episodes.append(
        ServiceEpisode(
            uuid=ctx.uuid(),
            created_at=plan.handovers[-1].created_at,
            candidate_id=c.pk,
            start=c.handed_over_at,
            end=episode_end,
            phase=phase,
        )
    )


def _return(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    reason: str,
    handover: dt.date,
    on: dt.date,
) -> None:
    c, rng = plan.candidate, ctx.rng
    on = max(on, c.handed_over_at or handover)
    explanation, advice = rng.choice(RETURN_TEXTS[reason])
    months = max(0, (on - (c.handed_over_at or handover)).days * 12 // 365)
    tried = (
        ["Sollicitatietraining"]
        if reason == ReturnReason.END_YOUTH_SEARCH_PERIOD
        else rng.sample(INSTRUMENTS, rng.randint(1, 4))
    )
    if reason == ReturnReason.STRUCTURALLY_NOT_PLACEABLE:
        tried = ["Werkervaringsplaats", "Jobcoach", "Sollicitatietraining"] + rng.sample(
            INSTRUMENTS[3:], 1
        )
    acknowledged = rng.random() < 0.7
    assert c.client_manager_id is not None and c.consultant_id is not None
    plan.returns.append(
        Return(
            uuid=ctx.uuid(),
            created_at=_moment(state, on, ctx),
            candidate_id=c.pk,
            municipality_id=c.municipality_id,
            on=on,
            reason=reason,
            explanation=explanation,
            instruments_tried=tried,
            recommended_next_step=advice,
            service_months=months,
            sent_by_id=c.consultant_id,
            receiver_id=c.client_manager_id,
            acknowledged_at=_moment(
                state, min(state.today, on + dt.timedelta(days=rng.randint(0, 6))), ctx
            )
            if acknowledged
            else None,
            acknowledged_by_id=c.client_manager_id if acknowledged else None,
        )
    )
    c.status = JourneyStatus.RETURNED
    c.deployability = {
        ReturnReason.TEMPORARILY_NOT_PLACEABLE: Deployability.TEMPORARILY_NOT,
        ReturnReason.STRUCTURALLY_NOT_PLACEABLE: Deployability.STRUCTURALLY_NOT,
    }.get(reason, Deployability.YES)
    episode = plan.episodes[-1]
    episode.end, episode.phase = on, EpisodePhase.CLOSED


def _consents(
    ctx: SeedContext,
    state: _State,
    staff: _RegionStaff,
    plan: _Plan,
    cm: Staff | None,
    consultant: Staff | None,
    intake: dt.date,
    handover: dt.date | None,
) -> None:
    c, rng, today = plan.candidate, ctx.rng, state.today
    recorder = cm or consultant
    if recorder is None:
        return
    by = state.users[recorder.pk]

    def add(scope: str, day: dt.date, *, employer: int | None = None, withdrawn: bool = False):
        granted = _moment(state, day, ctx)
        out = None
        if withdrawn:
            span = max(1, (today - day).days)
            out = _moment(state, day + dt.timedelta(days=rng.randint(1, span)), ctx)
            out = max(out, granted + dt.timedelta(hours=1))
        plan.consents.append(
            Consent(
                uuid=ctx.uuid(),
                created_at=granted,
                candidate_id=c.pk,
                scope=scope,
                employer_id=employer,
                granted_at=granted,
                granted_by_id=by,
                granted_via=ConsentChannel.IN_PERSON
                if scope != ConsentScope.REGIONAL_POOL
                else _weighted(ctx, [(ConsentChannel.IN_PERSON, 70), (ConsentChannel.LETTER, 30)]),
                withdrawn_at=out,
                withdrawn_by_id=by if withdrawn else None,
                withdrawn_via=rng.choice((ConsentChannel.PHONE, ConsentChannel.IN_PERSON))
                if withdrawn
                else "",
            )
        )
        return out

    if rng.random() < REGIONAL_POOL:
        day = handover or intake
        if rng.random() < 0.06:
            out = add(ConsentScope.REGIONAL_POOL, day, withdrawn=True)
            if out is not None and rng.random() < 0.5 and out.date() < today:
                add(ConsentScope.REGIONAL_POOL, out.date() + dt.timedelta(days=1))
        else:
            add(ConsentScope.REGIONAL_POOL, day)
    if handover is None or not staff.employer_pool or rng.random() > 0.14:
        return
    nearby = staff.employers.get(c.municipality_id) or staff.employer_pool
    chosen = rng.sample(nearby, min(len(nearby), rng.choice((1, 1, 2))))
    limitation = plan.health is not None and plan.health.has_limitation
    for employer in chosen:
        day = min(today, handover + dt.timedelta(days=rng.randint(3, 120)))
        withdrawn = rng.random() < 0.2
        add(ConsentScope.SHARE_WITH_EMPLOYER, day, employer=employer, withdrawn=withdrawn)
        if limitation and rng.random() < 0.6:
            add(ConsentScope.DISCLOSE_LIMITATIONS, day, employer=employer, withdrawn=withdrawn)


def _contacts(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    cm: Staff | None,
    consultant: Staff | None,
    intake: dt.date,
    handover: dt.date | None,
) -> None:
    c, rng, today = plan.candidate, ctx.rng, state.today
    if cm is None and consultant is None:
        return
    ended = plan.returns[-1].on if plan.returns else None
    intake_ago = (today - intake).days
    if rng.random() < NOT_SEEN:
        newest = rng.randint(57, max(57, min(330, intake_ago)))
    else:
        newest = rng.randint(0, min(50, intake_ago))
    newest = min(newest, intake_ago)
    low, high = state.contacts_per_person
    count = rng.randint(low, high)
    oldest = min(intake_ago, 365)
    days = sorted({newest, *(rng.randint(newest, oldest) for _ in range(count - 1))}, reverse=True)
    if intake_ago <= 365 and len(days) > 1:
        days[0] = intake_ago
    for index, ago in enumerate(days):
        day = today - dt.timedelta(days=ago)
        with_consultant = (
            handover is not None and day >= handover and (ended is None or day <= ended)
        )
        by = consultant if with_consultant and rng.random() < 0.8 else (cm or consultant)
        first = index == 0 and ago == intake_ago
        if first:
            channel, summary = ContactChannel.IN_PERSON, rng.choice(INTAKE_NOTES)
        else:
            channel = _weighted(
                ctx,
                [
                    (ContactChannel.IN_PERSON, 28),
                    (ContactChannel.PHONE, 25),
                    (ContactChannel.EMAIL, 15),
                    (ContactChannel.VIDEO, 8),
                    (ContactChannel.HOME_VISIT, 6),
                    (ContactChannel.MEETING, 7),
                    (ContactChannel.WORKPLACE, 6),
                    (ContactChannel.LETTER, 5),
                ],
            )
            summary = rng.choice(CONSULTANT_NOTES if by is consultant else CM_NOTES)
        assert by is not None
        at = _moment(state, day, ctx)
        plan.contacts.append(
            CandidateContact(
                uuid=ctx.uuid(),
                created_at=at,
                candidate_id=c.pk,
                at=at,
                channel=channel,
                staff_id=by.pk,
                summary=summary,
                agreements=rng.choice(AGREEMENTS),
            )
        )
    c.last_contact_at = max(x.at for x in plan.contacts)


def _signal(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    cm: Staff | None,
    consultant: Staff | None,
    handover: dt.date | None,
) -> None:
    c, rng, today = plan.candidate, ctx.rng, state.today
    if consultant is None or handover is None:
        return
    kind = _weighted(
        ctx, [(SignalKind.NO_SHOW, 60), (SignalKind.REFUSED_WORK, 30), (SignalKind.OTHER, 10)]
    )
    end = plan.returns[-1].on if plan.returns else today
    day = handover + dt.timedelta(days=rng.randint(0, max(0, (end - handover).days)))
    decision = _weighted(
        ctx,
        [
            (SignalDecision.PENDING, 40),
            (SignalDecision.NO_MEASURE, 20),
            (SignalDecision.WARNING, 30),
            (SignalDecision.MEASURE, 10),
        ],
    )
    decided = (
        None
        if decision == SignalDecision.PENDING
        else min(today, day + dt.timedelta(days=rng.randint(3, 20)))
    )
    plan.signals.append(
        Signal(
            uuid=ctx.uuid(),
            created_at=_moment(state, day, ctx),
            candidate_id=c.pk,
            kind=kind,
            occurred_on=day,
            description=SIGNAL_TEXTS[kind].format(
                day=day.strftime("%d-%m-%Y"), employer="Supermarkt " + rng.choice(_DUTCH_SURNAMES)
            ),
            reported_by_id=consultant.pk,
            decision=decision,
            decided_on=decided,
            decision_note=DECISION_NOTES.get(decision, ""),
            decided_by_id=cm.pk if decided and cm else None,
        )
    )


def _appointments(
    ctx: SeedContext,
    state: _State,
    plan: _Plan,
    cm: Staff | None,
    consultant: Staff | None,
    municipality: Municipality,
) -> None:
    c, rng, today = plan.candidate, ctx.rng, state.today
    if c.status == JourneyStatus.RETURNED or rng.random() > 0.3:
        return
    with_staff = consultant if consultant is not None and rng.random() < 0.75 else cm
    if with_staff is None:
        return
    day = _workday(today + dt.timedelta(days=rng.randint(1, 21)))
    starts = timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(9, 15), rng.choice((0, 30))))
    )
    place = (
        "Online (beeldbellen)"
        if rng.random() < 0.15
        else f"Gemeentehuis {municipality.name}"
        if with_staff is cm
        else f"{with_staff.organisation.name}, kantoor {with_staff.municipality.name}"
    )
    plan.appointments.append(
        Appointment(
            uuid=ctx.uuid(),
            created_at=state.now,
            candidate_id=c.pk,
            starts_at=starts,
            minutes=rng.choice((30, 45, 45, 60)),
            subject=rng.choice(APPOINTMENT_SUBJECTS),
            location=place[:200],
            staff_id=with_staff.pk,
            cancelled=rng.random() < 0.05,
        )
    )


# --- The demo log-in: Anouk Bakker ---------------------------------------------------------------


def _anouk(
    ctx: SeedContext, state: _State, plan: _Plan, user_id: int, wijchen: Municipality
) -> None:
    """Make ``plan`` the rich, complete profile of the ``kandidaat`` log-in."""
    c, today = plan.candidate, state.today
    cm, rm = state.demo_cm, state.demo_rm
    assert cm is not None and rm is not None
    c.user_id = user_id
    c.first_name, c.last_name, c.sex, c.household = "Anouk", "Bakker", "vrouw", 1
    c.birth_date = _birth_date(ctx, today, 34)
    c.email, c.phone = "kandidaat@demo.werkbrug.example.nl", "+31612345678"
    c.street, c.postcode, c.city = "Kasteellaan 14", "6602 DE", "Wijchen"
    c.latitude, c.longitude = Decimal("51.80960"), Decimal("5.72780")
    c.benefit_type = BenefitType.SOCIAL_ASSISTANCE
    c.benefit_start = today - dt.timedelta(days=610)
    c.benefit_duration = benefit_duration_band(c.benefit_start, today)
    c.ladder_step, c.segment, c.deployability = 5, Segment.WORK, Deployability.YES
    c.education_level, c.basic_qualification = 4, True
    c.driving_licence, c.transport = True, Transport.BICYCLE
    c.hours_available, c.wished_hours_min, c.wished_hours_max = 32, 24, 32
    c.available_from = today - dt.timedelta(days=30)
    c.talents = (
        "Ik ben handig en werk graag buiten. Ik kan goed met mensen omgaan en blijf rustig als "
        "het druk is. Ik heb zes jaar in een tuincentrum gewerkt: planten verzorgen, klanten "
        "adviseren en de kassa doen."
    )
    c.motivation = (
        "Na de geboorte van mijn dochter ben ik gestopt met werken. Zij gaat nu naar school en "
        "ik wil graag weer aan de slag, het liefst buiten en in de buurt."
    )
    c.development_goals = "Ik wil een certificaat hovenier (mbo 2) halen naast mijn werk."
    c.wished_work_kinds = [WorkKind.GREY_GREEN, WorkKind.HOSPITALITY_CARE_RETAIL]
    c.max_travel_minutes, c.max_travel_km = 30, 15
    c.client_manager_id, c.consultant_id = cm.pk, rm.pk
    c.status, c.handed_over_at = JourneyStatus.HANDED_OVER, today - dt.timedelta(days=150)
    c.informed_at = today - dt.timedelta(days=180)
    c.profile_confirmed_at = _moment(state, today - dt.timedelta(days=12), ctx)
    c.created_at = _moment(state, today - dt.timedelta(days=190), ctx)
    c.municipality_id = wijchen.pk
    intake, handover = today - dt.timedelta(days=190), c.handed_over_at

    def lang(name: str, level: str) -> CandidateLanguage:
        return CandidateLanguage(
            uuid=ctx.uuid(), created_at=c.created_at, candidate_id=c.pk, language=name, level=level
        )

    plan.languages = [
        lang("Nederlands", LanguageLevel.NATIVE),
        lang("Engels", LanguageLevel.B1),
        lang("Duits", LanguageLevel.A2),
    ]

    def job(role: str, where: str, start: int, end: int | None, paid: bool, what: str):
        return WorkExperience(
            uuid=ctx.uuid(),
            created_at=c.created_at,
            candidate_id=c.pk,
            role=role,
            employer_name=where,
            occupation_id=state.occupation_by_label.get(role.lower()),
            from_year=start,
            to_year=end,
            paid=paid,
            description=what,
        )

    year = today.year
    plan.experience = [
        job(
            "Vrijwilliger buurttuin",
            "Buurttuin De Wielewaal, Wijchen",
            year - 2,
            None,
            False,
            "Moestuin onderhouden met buurtbewoners; rooster voor het water geven.",
        ),
        job(
            "Medewerker tuincentrum",
            "Tuincentrum De Lindeboom, Wijchen",
            year - 10,
            year - 4,
            True,
            "Planten verzorgen, klanten adviseren, kassa en de buitenafdeling bijhouden.",
        ),
        job(
            "Verkoopmedewerker",
            "Bloemenhuis De Molen, Nijmegen",
            year - 14,
            year - 10,
            True,
            "Bloemen binden, bestellingen aannemen en bezorgen.",
        ),
    ]
    plan.skills, plan.wished_skills, plan.wished_occupations = [], [], []
    _taxonomy(ctx, state, plan, list(c.wished_work_kinds), skip_wishes=False)
    plan.memberships = []
    assert plan.health is not None
    plan.health.self_rated_health, plan.health.has_limitation = 2, False
    plan.health.nature = plan.health.limitations = plan.health.adjustments_needed = ""
    plan.health.structural = False
    plan.ladder = [
        LadderStepChange(
            uuid=ctx.uuid(),
            created_at=c.created_at,
            candidate_id=c.pk,
            step=step,
            assessed_on=day,
            recorded_by_id=by.pk,
            note=note,
        )
        for step, day, by, note in (
            (3, intake, cm, "Vastgesteld bij de intake."),
            (4, intake + dt.timedelta(days=25), cm, "Vrijwilligerswerk in de buurttuin."),
            (5, handover + dt.timedelta(days=60), rm, "Meeloopdag bij een hovenier ging goed."),
        )
    ]
    plan.handovers[0].on = handover
    plan.handovers[0].from_staff_id, plan.handovers[0].to_staff_id = cm.pk, rm.pk
    plan.handovers[0].warm = True
    plan.handovers[0].note = "Warme overdracht; Anouk wil graag buiten werken, in de buurt."
    plan.handovers[0].created_at = _moment(state, handover, ctx)
    plan.episodes = [
        ServiceEpisode(
            uuid=ctx.uuid(),
            created_at=plan.handovers[0].created_at,
            candidate_id=c.pk,
            start=handover,
            phase=EpisodePhase.MEDIATION,
        )
    ]
    plan.returns, plan.signals = [], []
    cm_user, own = state.users[cm.pk], user_id

    def consent(scope: str, days_ago: int, by: int, via: str, employer: int | None = None):
        at = _moment(state, today - dt.timedelta(days=days_ago), ctx)
        return Consent(
            uuid=ctx.uuid(),
            created_at=at,
            candidate_id=c.pk,
            scope=scope,
            employer_id=employer,
            granted_at=at,
            granted_by_id=by,
            granted_via=via,
        )

    plan.consents = [consent(ConsentScope.REGIONAL_POOL, 148, own, ConsentChannel.PORTAL)]
    if state.werkgever_employer_id:
        plan.consents.append(
            consent(
                ConsentScope.SHARE_WITH_EMPLOYER,
                9,
                cm_user,
                ConsentChannel.IN_PERSON,
                state.werkgever_employer_id,
            )
        )
    others = [e for e in state.region_employers if e != state.werkgever_employer_id]
    if others:
        old = consent(ConsentScope.SHARE_WITH_EMPLOYER, 120, cm_user, "persoonlijk", others[0])
        old.withdrawn_at = _moment(state, today - dt.timedelta(days=70), ctx)
        old.withdrawn_by_id, old.withdrawn_via = own, ConsentChannel.PORTAL
        plan.consents.append(old)
    plan.contacts = []
    for ago, channel, by, summary, agreement in (
        (190, ContactChannel.IN_PERSON, cm, INTAKE_NOTES[0], "Anouk start met vrijwilligerswerk."),
        (165, ContactChannel.PHONE, cm, "Vrijwilligerswerk in de buurttuin loopt goed.", ""),
        (150, ContactChannel.IN_PERSON, rm, CONSULTANT_NOTES[0], "Cv bijwerken."),
        (95, ContactChannel.WORKPLACE, rm, "Meeloopdag bij een hoveniersbedrijf.", ""),
        (40, ContactChannel.MEETING, rm, CONSULTANT_NOTES[5], "Kennismaking inplannen."),
        (9, ContactChannel.IN_PERSON, rm, "Toestemming besproken om profiel te delen.", ""),
        (3, ContactChannel.EMAIL, rm, "Bevestiging van de kennismaking gestuurd.", ""),
    ):
        at = _moment(state, today - dt.timedelta(days=ago), ctx)
        plan.contacts.append(
            CandidateContact(
                uuid=ctx.uuid(),
                created_at=at,
                candidate_id=c.pk,
                at=at,
                channel=channel,
                staff_id=by.pk,
                summary=summary,
                agreements=agreement,
            )
        )
    c.last_contact_at = max(x.at for x in plan.contacts)

    def appointment(days: int, hour: int, subject: str, where: str, by: Staff) -> Appointment:
        day = _workday(today + dt.timedelta(days=days))
        return Appointment(
            uuid=ctx.uuid(),
            created_at=state.now,
            candidate_id=c.pk,
            starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))),
            minutes=60,
            subject=subject,
            location=where,
            staff_id=by.pk,
        )

    plan.appointments = [
        appointment(
            4,
            10,
            "Kennismaking bij Hoveniersbedrijf Willems",
            "Hoveniersbedrijf Willems, Wijchen",
            rm,
        ),
        appointment(11, 14, "Voortgangsgesprek", "Gemeentehuis Wijchen", cm),
        appointment(
            18, 9, "Opleiding hovenier bespreken", "WerkBedrijf Rijk van Nijmegen, Nijmegen", rm
        ),
    ]


# --- Writing -----------------------------------------------------------------------------------


def _rows(model: type[models.Model], objs: Iterable[models.Model]) -> Iterable[dict[str, Any]]:
    fields = [f for f in model._meta.concrete_fields]
    for obj in objs:
        row = {}
        for f in fields:
            if f.primary_key and getattr(obj, f.attname) is None:
                continue
            row[f.attname] = f.get_db_prep_save(f.pre_save(obj, True), connection)
        yield row


def _write(model: type[models.Model], objs: list[Any], *, batch_size: int = 5000) -> int:
    if not objs:
        return 0
    if connection.vendor == "postgresql":
        _insert(model, _rows(model, objs), batch_size=batch_size)
    else:
        model.objects.bulk_create(objs, batch_size=batch_size)
    return len(objs)


def _save(state: _State, plans: Sequence[_Plan]) -> None:
    totals = state.totals
    totals["candidates"] += _write(Candidate, [p.candidate for p in plans])
    for name, model, attr in (
        ("languages", CandidateLanguage, "languages"),
        ("experience", WorkExperience, "experience"),
        ("memberships", TargetGroupMembership, "memberships"),
        ("ladder", LadderStepChange, "ladder"),
        ("consents", Consent, "consents"),
        ("contacts", CandidateContact, "contacts"),
        ("appointments", Appointment, "appointments"),
        ("episodes", ServiceEpisode, "episodes"),
        ("handovers", Handover, "handovers"),
        ("returns", Return, "returns"),
        ("signals", Signal, "signals"),
    ):
        totals[name] += _write(model, [row for p in plans for row in getattr(p, attr)])
    _write(HealthProfile, [p.health for p in plans if p.health is not None])
    for name, attr in (
        ("skills", "skills"),
        ("wished_skills", "wished_skills"),
        ("wished_occupations", "wished_occupations"),
    ):
        m2m = Candidate._meta.get_field(name)
        through = m2m.remote_field.through
        own, other = m2m.m2m_column_name(), m2m.m2m_reverse_name()
        totals[name] += _write(
            through,
            [
                through(**{own: p.candidate.pk, other: target})
                for p in plans
                for target in getattr(p, attr)
            ],
        )


# --- The seeder ----------------------------------------------------------------------------------


def _region_staff(region: Region, municipalities: Sequence[Municipality]) -> _RegionStaff:
    from werkbrug.employers.models import Employer

    staff = list(
        Staff.objects.filter(organisation__region=region, active=True)
        .select_related("user", "organisation", "municipality")
        .prefetch_related("user__role_grants")
        .order_by("pk")
    )

    def roles(s: Staff) -> set[str]:
        return {g.role for g in s.user.role_grants.all()}

    cms = [s for s in staff if Role.CLIENT_MANAGER in roles(s)]
    rms = [s for s in staff if Role.RELATIONSHIP_MANAGER in roles(s)]
    by_cm: dict[int, list[Staff]] = defaultdict(list)
    by_rm: dict[int, list[Staff]] = defaultdict(list)
    for s in cms:
        by_cm[s.municipality_id].append(s)
    for s in rms:
        by_rm[s.municipality_id].append(s)
    employers: dict[int, list[int]] = defaultdict(list)
    pool = []
    for pk, muni in (
        Employer.objects.filter(region=region).order_by("pk").values_list("pk", "municipality_id")
    ):
        employers[muni].append(pk)
        pool.append(pk)
    if not cms:
        # Werktop: the municipalities did the work themselves (no separate client managers);
        # their relationship managers keep the caseload and hand over to a colleague.
        by_cm = by_rm
    return _RegionStaff(
        region=region,
        client_managers=dict(by_cm),
        # Fallback for municipalities without their own: the regional intake team.
        cm_pool=[s for s in cms if s.organisation.municipality_id is None] or cms or rms,
        consultants=dict(by_rm),
        rm_pool=rms,
        employers=dict(employers),
        employer_pool=pool,
    )


def _state(ctx: SeedContext) -> _State:
    from werkbrug.employers.models import ContactPerson

    occupations: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_label: dict[str, int] = {}
    for pk, kind, label in Occupation.objects.order_by("pk").values_list(
        "pk", "work_kind", "label"
    ):
        occupations[kind or ""].append((pk, label))
        by_label.setdefault(label.lower(), pk)
    skills_of: dict[int, list[int]] = defaultdict(list)
    for occupation, skill in OccupationSkill.objects.order_by("pk").values_list(
        "occupation_id", "skill_id"
    ):
        skills_of[occupation].append(skill)
    demo = {
        name: Staff.objects.select_related("organisation", "municipality").get(pk=s.pk)
        for name, s in ctx.shared.get("demo_staff", {}).items()
        if name in ("klantmanager", "relatiemanager")
    }
    werkgever = (
        ContactPerson.objects.filter(user__username="werkgever")
        .values_list("employer_id", flat=True)
        .first()
    )
    return _State(
        today=timezone.localdate(),
        now=timezone.now(),
        bsn_used=set(),
        users=dict(Staff.objects.values_list("pk", "user_id")),
        occupations=dict(occupations),
        occupation_by_label=by_label,
        skills_of=dict(skills_of),
        skill_ids=list(Skill.objects.order_by("pk").values_list("pk", flat=True)),
        demo_cm=demo.get("klantmanager"),
        demo_rm=demo.get("relatiemanager"),
        demo_rm_region=demo["relatiemanager"].organisation.region_id
        if "relatiemanager" in demo
        else None,
        werkgever_employer_id=werkgever,
        contacts_per_person=ctx.size(demo=(3, 9), region=(2, 6), national=(1, 3)),
    )


def _sizes(ctx: SeedContext, municipalities: Sequence[Municipality], total: int) -> list[int]:
    weights = [MUNICIPALITIES.get(m.name, _FALLBACK).weight for m in municipalities]
    return [round(total * w / sum(weights)) for w in weights]


@seeder(order=40, name="candidates")
def seed_candidates(ctx: SeedContext) -> None:
    from werkbrug.accounts.models import User

    state = _state(ctx)
    regions: list[Region] = list(ctx.shared.get("regions") or Region.objects.order_by("pk"))
    for region in Region.objects.order_by("pk"):
        CandidatePolicy.objects.get_or_create(region=region)
    rvn_munis: list[Municipality] = list(ctx.shared.get("municipalities", []))
    wt_munis: list[Municipality] = list(ctx.shared.get("werktop_municipalities", []))
    if rvn_munis:
        rvn_sizes = (
            [ctx.rng.randint(60, 70) for _ in rvn_munis]
            if ctx.scale == "demo"
            else _sizes(ctx, rvn_munis, ctx.size(demo=0, region=3_000, national=180_000))
        )
        _seed_region(ctx, state, regions[0], rvn_munis, rvn_sizes, MUNICIPALITIES, main=True)
    if wt_munis and len(regions) > 1:
        per = ctx.size(demo=15, region=100, national=4_000)
        for municipality in wt_munis:
            # The Werktop municipalities handed over a file of candidates at once.
            staff = list(
                Staff.objects.filter(municipality=municipality, active=True).order_by("pk")
            )
            if staff:
                batch = HandoverBatch.objects.create(
                    uuid=ctx.uuid(),
                    created_at=_moment(
                        state, state.today - dt.timedelta(days=ctx.rng.randint(90, 400)), ctx
                    ),
                    municipality=municipality,
                    from_staff=staff[0],
                    to_staff=staff[-1],
                    note="Bestand van de gemeente: kandidaten op trede 3 tot en met 5.",
                )
                state.batches[municipality.pk] = batch
        _seed_region(
            ctx, state, regions[1], wt_munis, [per] * len(wt_munis), WERKTOP_PLACES, main=False
        )
        for batch in state.batches.values():
            batch.save(update_fields=["handed_over"])
    user = User.objects.filter(username="kandidaat").first()
    t = state.totals
    ctx.say(
        f"Kandidaten: {t['candidates']} ({t['handovers']} overgedragen, {t['returns']} "
        f"teruggemeld), {t['contacts']} contacten, {t['consents']} toestemmingen"
        + (f"; demo-kandidaat: {user.get_full_name()}." if user else ".")
    )


def bulk_candidates(ctx: SeedContext, *, count: int, region: Region | None = None) -> int:
    """Add ``count`` candidates to one region (default: the first, the Rijk van Nijmegen),
    spread over its current municipalities by their weight, with the seeder's own plans and
    bulk writer (``COPY`` on PostgreSQL): profiles, consents (about 60 % in the regional pool),
    contacts and history. For benchmarks at national scale; call it again to grow further (the
    BSNs drawn so far are kept in ``ctx.shared``). Returns the number of candidates added."""
    if count <= 0:
        return 0
    state: _State | None = ctx.shared.get("candidate_bulk_state")
    if state is None:
        state = _state(ctx)
        ctx.shared["candidate_bulk_state"] = state
    region = region or Region.objects.order_by("pk").first()
    if region is None:
        raise ValueError("No region to fill: run the region seeders first.")
    CandidatePolicy.objects.get_or_create(region=region)
    municipalities = list(
        Municipality.objects.filter(region=region, ended_on__isnull=True).order_by("pk")
    )
    sizes = _sizes(ctx, municipalities, count)
    sizes[0] += count - sum(sizes)  # rounding: exactly ``count``
    before = state.totals["candidates"]
    _seed_region(ctx, state, region, municipalities, sizes, MUNICIPALITIES, main=False)
    made = state.totals["candidates"] - before
    ctx.say(f"Kandidaten in bulk: {made}.")
    return made


def _seed_region(
    ctx: SeedContext,
    state: _State,
    region: Region,
    municipalities: Sequence[Municipality],
    sizes: Sequence[int],
    places: dict[str, MunicipalityInfo],
    *,
    main: bool,
) -> None:
    from werkbrug.accounts.models import User

    staff = _region_staff(region, municipalities)
    state.region_employers = staff.employer_pool
    total = sum(sizes)
    state.totals["expected_handovers"] = round(total * 0.77)
    rich = ctx.scale == "demo"
    chunk = 5_000
    # Who lives where, in chunks so memory stays flat at national scale.
    homes = [m for m, size in zip(municipalities, sizes, strict=True) for _ in range(size)]
    ctx.rng.shuffle(homes)
    kandidaat = User.objects.filter(username="kandidaat").values_list("pk", flat=True).first()
    wijchen = next((m for m in municipalities if m.name == "Wijchen"), None)
    anouk_done = not main or kandidaat is None or wijchen is None
    werkgever_shares = 0
    for start in range(0, total, chunk):
        part = homes[start : start + chunk]
        n = len(part)
        people = _people(
            ctx,
            n,
            young_returns=max(1, round(n * 0.006)),
            other_returns=max(3, round(n * 0.045)),
        )
        ids = _reserve_ids(Candidate, n)
        plans = []
        for municipality, person, pk in zip(part, people, ids, strict=True):
            info = places.get(municipality.name, _FALLBACK)
            cm = consultant = None
            if state.demo_cm and municipality.pk == state.demo_cm.municipality_id:
                # The demo client manager has most of Wijchen; the intake team the rest.
                others = [s for s in staff.cm_pool if s.pk != state.demo_cm.pk]
                cm = state.demo_cm if ctx.rng.random() < 0.7 or not others else None
                cm = cm or ctx.rng.choice(others)
            make_anouk = not anouk_done and municipality is wijchen
            if make_anouk:
                person.incomplete, person.return_reason = False, None
                cm, consultant = state.demo_cm, state.demo_rm
            plan = _plan(
                ctx,
                state,
                staff,
                municipality,
                info,
                person,
                pk,
                rich=rich,
                cm=cm,
                consultant=consultant,
            )
            if make_anouk:
                _anouk(ctx, state, plan, kandidaat, municipality)  # type: ignore[arg-type]
                anouk_done = True
            elif (
                main
                and werkgever_shares < 3
                and state.werkgever_employer_id
                and plan.candidate.status == JourneyStatus.HANDED_OVER
                and municipality is wijchen
            ):
                _share_with_werkgever(ctx, state, plan, werkgever_shares)
                werkgever_shares += 1
            plans.append(plan)
        _save(state, plans)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Candidate, CandidateContact, Consent, Handover, ServiceEpisode):
                cursor.execute(f"ANALYZE {model._meta.db_table}")  # noqa: S608 - table names
    audit.record_summary(
        region,
        note=f"seed-demo {ctx.scale}: {total} candidates of {region} with their profiles, "
        "consents, contacts and history, added in bulk",
    )


def _share_with_werkgever(ctx: SeedContext, state: _State, plan: _Plan, index: int) -> None:
    """More candidates shared with the demo employer: one with limitations disclosed, one
    withdrawn (history), one plain."""
    c = plan.candidate
    employer = state.werkgever_employer_id
    plan.consents = [x for x in plan.consents if x.employer_id != employer]
    by = state.users[c.client_manager_id] if c.client_manager_id else None
    if by is None:
        return
    at = _moment(state, state.today - dt.timedelta(days=5 + 10 * index), ctx)
    scopes = [ConsentScope.SHARE_WITH_EMPLOYER]
    if index == 0:
        assert plan.health is not None
        plan.health.has_limitation = True
        plan.health.nature, plan.health.limitations, plan.health.adjustments_needed = LIMITATIONS[0]
        scopes.append(ConsentScope.DISCLOSE_LIMITATIONS)
    for scope in scopes:
        consent = Consent(
            uuid=ctx.uuid(),
            created_at=at,
            candidate_id=c.pk,
            scope=scope,
            employer_id=employer,
            granted_at=at,
            granted_by_id=by,
            granted_via=ConsentChannel.IN_PERSON,
        )
        if index == 1:
            consent.withdrawn_at = at + dt.timedelta(days=2)
            consent.withdrawn_by_id, consent.withdrawn_via = by, ConsentChannel.PHONE
        plan.consents.append(consent)
