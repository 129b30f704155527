"""Demo: one completed evaluation round in the Rijk van Nijmegen, as Werktop did it but from
the register: a control group drawn from the caseload (stratified by municipality) against
everyone who took part since 1 January 2025; the candidate questionnaire sent to both groups
by letter, with about half of the participants and a fifth of the controls answering (the
Werktop response rates); an employer satisfaction survey; and two years of complaints.

The answers are generated so the tables show what the Werktop study found in spirit:
participants more often in a regular job and more positive about the help they got. They are
synthetic, drawn from the seeded generator, and say nothing about the real approach.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from werkbrug.candidates.models import Candidate
from werkbrug.core.access import actor_for
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.employers.models import ContactPerson
from werkbrug.evaluation import questionnaires, services
from werkbrug.evaluation.models import (
    Channel,
    Complainant,
    ComplaintCategory,
    ComplaintSettlement,
    ControlMethod,
    Group,
    Invitation,
    Survey,
)
from werkbrug.regions.models import Municipality

BASE_URL = "http://127.0.0.1:8000/enquete/TOKEN/"
START = dt.date(2025, 1, 1)

#: How likely each group answers, and how the five points lean (1 = most positive).
RESPONSE_RATE = {Group.PARTICIPANT: 0.47, Group.CONTROL: 0.2}
LEAN = {Group.PARTICIPANT: (30, 38, 17, 10, 5), Group.CONTROL: (14, 30, 30, 17, 9)}
#: Werksituatie 1 regular job, 2 work with benefit kept, 3 benefit (Werktop Tabel 6.6 in spirit).
WORK = {Group.PARTICIPANT: (16, 15, 69), Group.CONTROL: (4, 25, 71)}
GRADE_MEAN = {Group.PARTICIPANT: 7.1, Group.CONTROL: 6.2}
OPEN_TEXTS = (
    "Meer persoonlijk contact met werkgevers.",
    "Sneller reageren op mijn vragen.",
    "De gesprekken met werkgevers hielpen mij echt.",
    "Ik wil graag hulp bij het vinden van een opleiding.",
    "Vaker een afspraak, niet alleen per mail.",
    "Duidelijker uitleg over wat er met mijn uitkering gebeurt.",
)


def _answer(
    rng: random.Random, question: questionnaires.Question, group: str
) -> str | list[str] | None:
    kind = question.kind
    if kind == questionnaires.Kind.TEXT:
        return rng.choice(OPEN_TEXTS) if rng.random() < 0.4 else None
    if kind == questionnaires.Kind.LIKERT:
        return rng.choices(["1", "2", "3", "4", "5"], weights=LEAN[group])[0]
    if kind == questionnaires.Kind.GRADE:
        low, high = question.minimum or 1, question.maximum or 10
        return str(max(low, min(high, round(rng.gauss(GRADE_MEAN[group], 1.3)))))
    if kind == questionnaires.Kind.NUMBER:
        low, high = question.minimum or 0, question.maximum or 40
        return str(rng.randint(max(low, 8), min(high, 38)))
    if kind == questionnaires.Kind.YESNO:
        return "ja" if rng.random() < 0.7 else "nee"
    values = [option.value for option in question.choices]
    if kind == questionnaires.Kind.MULTI:
        most = question.max_choices or len(values)
        return sorted(rng.sample(values, rng.randint(1, min(3, most, len(values)))))
    if question.code == "werksituatie":
        return rng.choices(values, weights=WORK[group])[0]
    return rng.choice(values)


def fill_in(
    rng: random.Random, questionnaire: questionnaires.Questionnaire, group: str
) -> dict[str, Any]:
    """Answers to every question that is asked, in order (a later question's condition
    depends on the answers before it)."""
    raw: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question not in questionnaires.visible_questions(questionnaire, raw):
            continue
        value = _answer(rng, question, group)
        if value is not None:
            raw[question.code] = value
    return raw


def _answer_some(
    rng: random.Random, survey: Survey, invitations: list[Invitation], rates: dict[str, float]
) -> int:
    answered = 0
    for invitation in invitations:
        if rng.random() >= rates[invitation.group]:
            continue
        questionnaire = services.questionnaire_of(survey, invitation.group)
        raw = fill_in(rng, questionnaire, invitation.group)
        response, errors = services.submit(token=services.link_token(invitation), raw=raw)
        if response is None:
            raise RuntimeError(f"Demo answers refused: {errors}")
        answered += 1
    return answered


@seeder(order=95, name="evaluation")
def seed_evaluation(ctx: SeedContext) -> None:
    user = get_user_model().objects.filter(username="onderzoeker").first()
    if user is None or not hasattr(user, "staff"):
        return
    researcher = actor_for(user)
    rng = ctx.rng
    today = timezone.localdate()

    group = services.draw_control_group(
        actor=researcher,
        name="Werkbrug-aanpak 2025: vergelijkingsgroep",
        intervention_start=START,
        size=120,
        seed=2014,
        method=ControlMethod.STRATIFIED,
        strata=["municipality"],
        criteria={"ladder_steps": [3, 4, 5]},
    )
    survey = services.create_survey(
        actor=researcher,
        title="Kandidatenenquête 2026 (deelnemers en vergelijkingsgroep)",
        template_code="werktop_kandidaat",
        closes_on=today + dt.timedelta(days=1),
        min_cell_size=5,
        incentive="een cadeaubon van € 10",
        control_group=group,
    )
    invitations = services.invite_control_group(
        actor=researcher, survey=survey, channel=Channel.LETTER, base_url=BASE_URL
    )
    Invitation.objects.filter(survey=survey).update(sent_at=timezone.now())
    answered = _answer_some(rng, survey, invitations, RESPONSE_RATE)
    services.close_survey(actor=researcher, survey=survey)
    ctx.say(
        f"Evaluatie: vergelijkingsgroep van {group.size} tegen {group.participant_count} "
        f"deelnemers; kandidatenenquête {answered} van {len(invitations)} ingevuld."
    )

    contacts = list(
        ContactPerson.objects.filter(employer__region_id=researcher.region_id)
        .exclude(email="")
        .order_by("pk")[:80]
    )
    if contacts:
        satisfaction = services.create_survey(
            actor=researcher,
            title="Werkgeverstevredenheid 2026",
            template_code="werkbedrijf_werkgever_tevredenheid",
            closes_on=today + dt.timedelta(days=21),
        )
        sent = services.invite(
            actor=researcher,
            survey=satisfaction,
            group=Group.PARTICIPANT,
            channel=Channel.LETTER,
            contacts=contacts,
            base_url=BASE_URL,
        )
        Invitation.objects.filter(survey=satisfaction).update(sent_at=timezone.now())
        done = _answer_some(rng, satisfaction, sent, {Group.PARTICIPANT: 0.45})
        ctx.say(f"Werkgeverstevredenheid: {done} van {len(sent)} ingevuld (loopt nog).")

    served = list(
        Candidate.objects.filter(region_id=researcher.region_id, user__isnull=True)
        .exclude(street="")
        .order_by("pk")[:100]
    )
    if served:
        candidates_survey = services.create_survey(
            actor=researcher,
            title="Klanttevredenheid kandidaten 2026",
            template_code="werkbedrijf_kandidaat_tevredenheid",
            closes_on=today + dt.timedelta(days=21),
        )
        sent = services.invite(
            actor=researcher,
            survey=candidates_survey,
            group=Group.PARTICIPANT,
            channel=Channel.LETTER,
            candidates=served,
            base_url=BASE_URL,
        )
        Invitation.objects.filter(survey=candidates_survey).update(sent_at=timezone.now())
        done = _answer_some(rng, candidates_survey, sent, {Group.PARTICIPANT: 0.4})
        ctx.say(f"Klanttevredenheid kandidaten: {done} van {len(sent)} ingevuld (loopt nog).")

    lead = get_user_model().objects.filter(username="teamleider").first()
    if lead is not None and hasattr(lead, "staff"):
        _complaints(ctx, actor_for(lead))


def _complaints(ctx: SeedContext, lead: Any) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    municipalities = list(Municipality.objects.filter(region_id=lead.region_id))
    summaries = {
        ComplaintCategory.SERVICE: "Voelde zich niet serieus genomen in het gesprek.",
        ComplaintCategory.COMMUNICATION: "Kreeg na drie weken nog geen antwoord op een vraag.",
        ComplaintCategory.DECISION: "Is het niet eens met de hoogte van de loonkostensubsidie.",
        ComplaintCategory.PLACEMENT: "De kandidaat paste niet bij het werk dat was afgesproken.",
        ComplaintCategory.PRIVACY: "Vraagt waarom het cv aan een werkgever is getoond.",
        ComplaintCategory.OTHER: "Afspraak op het werkplein werd op het laatste moment verzet.",
    }
    count = 0
    for year in (today.year - 1, today.year):
        for _n in range(rng.randint(9, 14)):
            received = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            if received > today:
                continue
            category = rng.choice(list(summaries))
            complaint = services.record_complaint(
                actor=lead,
                complainant=rng.choice([Complainant.CANDIDATE] * 2 + [Complainant.EMPLOYER]),
                category=category,
                municipality=rng.choice(municipalities) if municipalities else None,
                received_on=received,
                summary=summaries[category],
            )
            settled = received + dt.timedelta(days=rng.randint(3, 45))
            if settled <= today:
                services.settle_complaint(
                    actor=lead,
                    complaint=complaint,
                    settlement=rng.choices(
                        [
                            ComplaintSettlement.AMICABLE,
                            ComplaintSettlement.FORMAL,
                            ComplaintSettlement.WITHDRAWN,
                        ],
                        weights=(75, 15, 10),
                    )[0],
                    settled_on=settled,
                )
            count += 1
    ctx.say(f"Klachten: {count} in twee jaar.")
