"""Demo placements: two years of work found in the demo region.

* Every hire that came from a prettig gesprek (the meetings seeder) becomes a placement linked
  to its conversation: a job offer a contract, a trial placement or work-experience place
  first that, then converted into a contract.
* About three dozen more over the past two years: work-experience places converted into six-
  or twelve-month contracts, trial placements, direct jobs, and some that ended early (health,
  dropped out). Aftercare check-ins that were due are mostly done; a few recent ones are
  overdue, and two contracts of the relationship manager end within six weeks (the alert).
* Grants: loonkostensubsidie with a loonwaarde assessment, LKV and the no-riskpolis for some;
  a jobcoach for those with loonkostensubsidie.

Everything goes through ``placements.services``, as the candidate's own consultant (who sees
the candidate in full) would do it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from werkbrug.accounts.models import User
from werkbrug.candidates.models import Candidate, JourneyStatus
from werkbrug.candidates.scopes import full_access_q
from werkbrug.core.access import actor_for
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.employers.models import Employer
from werkbrug.matching.models import IntroductionOutcome
from werkbrug.meetings.models import Conversation, FollowUp
from werkbrug.placements import services
from werkbrug.placements.aftercare import add_months
from werkbrug.placements.models import (
    WITH_BENEFIT_KEPT,
    AftercareCheck,
    AmountPer,
    BenefitEvent,
    BenefitEventKind,
    Contract,
    EndReason,
    Funding,
    GrantKind,
    GrantStatus,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Outflow,
    Placement,
    PlacementKind,
    PlacementStatus,
)

JOBS = [
    ("Orderpicker", "52101"),
    ("Medewerker groenonderhoud", "81300"),
    ("Schoonmaker", "81210"),
    ("Productiemedewerker", "10710"),
    ("Vakkenvuller", "47111"),
    ("Medewerker bediening", "56101"),
    ("Assistent-monteur", "45200"),
    ("Magazijnmedewerker", "46900"),
]
CHECK_NOTES = [
    "Gaat goed. Werkgever tevreden over inzet en tempo.",
    "Went aan de vroege diensten; afgesproken om de planning een week vooruit te geven.",
    "Loopt prima. Wil graag meer uren; werkgever kijkt of dat na de zomer kan.",
    "Twijfel over het reizen; fietsvergoeding geregeld, daarna weer positief.",
    "Driegesprek met jobcoach: taken iets aangepast, iedereen tevreden.",
]
COACHES = [
    ("Marieke Hoekstra", "Jobcoach Gelderland", True),
    ("Ahmed Bakkali", "WerkBedrijf Rijk van Nijmegen", False),
    ("Ellen van Dijk", "Begeleid Werken Nijmegen", True),
]


def _actor_for(candidate: Candidate) -> Any:
    staff = candidate.consultant or candidate.client_manager
    return actor_for(staff.user) if staff is not None else None


def _placement(candidate: Candidate, employer: Employer, **kw: Any) -> Placement:
    return Placement(candidate=candidate, employer=employer, **kw)


class _Seed:
    def __init__(self, ctx: SeedContext, rm_user: User) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = timezone.localdate()
        self.rm = rm_user.staff
        self.made = {"placements": 0, "converted": 0, "ended": 0, "grants": 0, "overdue": 0}

    # --- one story ---------------------------------------------------------------------------

    def story(
        self,
        candidate: Candidate,
        employer: Employer,
        start: dt.date,
        kind: str,
        *,
        conversation: Conversation | None = None,
        owner: Any = None,
        ending_soon: bool = False,
    ) -> Placement | None:
        actor = _actor_for(candidate)
        if actor is None:
            return None
        rng = self.rng
        title = rng.choice(JOBS)[0]
        hours = Decimal(rng.choice([16, 20, 24, 24, 28, 32, 36]))
        common = {
            "job_title": title,
            "hours_per_week": hours,
            "conversation": conversation,
            "shortlist_entry": conversation.shortlist_entry if conversation else None,
            "opportunity": conversation.shortlist_entry.opportunity
            if conversation and conversation.shortlist_entry
            else None,
        }
        if owner is not None:  # else the consultant who places looks after it
            common["owner_id"] = owner.pk
        if kind in (PlacementKind.WORK_EXPERIENCE, PlacementKind.TRIAL):
            months = 2 if kind == PlacementKind.TRIAL else rng.choice([3, 6])
            first = services.place(
                actor=actor,
                placement=_placement(
                    candidate,
                    employer,
                    kind=kind,
                    contract=Contract.NONE,
                    start_on=start,
                    planned_end_on=add_months(start, months) - dt.timedelta(days=1),
                    **common,
                ),
            )
            self.made["placements"] += 1
            convert_on = add_months(start, months)
            if convert_on > self.today or rng.random() < 0.2:
                return first  # still running, or (below) ends without a contract
            length = rng.choice([6, 6, 12])
            contract = services.convert(
                actor=actor,
                placement=first,
                into=_placement(
                    candidate,
                    employer,
                    kind=PlacementKind.REGULAR,
                    contract=Contract.FIXED,
                    wage_pct_of_wml=Decimal(rng.choice([100, 100, 105, 110])),
                    start_on=convert_on,
                    planned_end_on=add_months(convert_on, length) - dt.timedelta(days=1),
                    **common,
                ),
            )
            self.made["placements"] += 1
            self.made["converted"] += 1
            return contract
        if ending_soon:
            end = self.today + dt.timedelta(days=rng.randint(10, 35))
            start = add_months(end + dt.timedelta(days=1), -6)
        else:
            end = add_months(start, rng.choice([6, 12, 12])) - dt.timedelta(days=1)
        permanent = not ending_soon and rng.random() < 0.2
        return services.place(
            actor=actor,
            placement=_placement(
                candidate,
                employer,
                kind=PlacementKind.REGULAR,
                contract=Contract.PERMANENT if permanent else Contract.FIXED,
                wage_pct_of_wml=Decimal(rng.choice([100, 100, 105, 115, 125])),
                start_on=start,
                planned_end_on=None if permanent else end,
                **common,
            ),
        )

    def aftercare(self, placement: Placement, *, overdue_ok: bool) -> None:
        """Checks due are done, on or soon after their day; recent ones of the relationship
        manager may still be open (overdue)."""
        actor = _actor_for(placement.candidate)
        for check in placement.checks.filter(due_on__lte=self.today).order_by("due_on"):
            if check.kind == AftercareCheck.Kind.BEFORE_END and (
                placement.planned_end_on is None or placement.planned_end_on >= self.today
            ):
                continue  # the next step is still to be decided: the alert stays
            late = (self.today - check.due_on).days
            if overdue_ok and late <= 12 and self.rng.random() < 0.6:
                self.made["overdue"] += 1
                continue
            done = min(self.today, check.due_on + dt.timedelta(days=self.rng.randint(0, 4)))
            services.record_check(
                actor=actor,
                check=check,
                done_on=done,
                still_working=True if check.kind != "voor_einde" else None,
                notes=self.rng.choice(CHECK_NOTES),
                next_step="Verlenging besproken; werkgever beslist voor het einde."
                if check.kind == AftercareCheck.Kind.BEFORE_END
                else "",
            )

    def grants(self, placement: Placement) -> None:
        rng, actor = self.rng, _actor_for(placement.candidate)
        if placement.kind != PlacementKind.REGULAR or placement.rule_set is None:
            return
        if rng.random() > 0.45:
            return
        pct = Decimal(rng.choice([50, 60, 65, 70, 75, 80]))
        assessed = placement.start_on + dt.timedelta(days=rng.randint(10, 40))
        if assessed <= self.today:
            services.assess_loonwaarde(
                actor=actor,
                assessment=LoonwaardeAssessment(
                    placement=placement,
                    assessed_on=assessed,
                    pct=pct,
                    method="Dariuz",
                    assessor="Loonwaardedeskundige gemeente",
                    next_review_on=add_months(assessed, 12),
                ),
            )
        rules = placement.rule_set.rule_values
        wml_hours = rules.wml_month * placement.hours_per_week / rules.wml_hours_week
        lks = (wml_hours * (100 - pct) / 100).quantize(Decimal("0.01"))
        services.add_grant(
            actor=actor,
            grant=InstrumentGrant(
                placement=placement,
                kind=GrantKind.LKS,
                status=GrantStatus.GRANTED,
                decided_on=placement.start_on - dt.timedelta(days=3),
                start_on=placement.start_on,
                end_on=placement.planned_end_on,
                review_on=add_months(placement.start_on, 12),
                amount=lks,
                amount_per=AmountPer.MONTH,
                funding=Funding.MUNICIPALITY,
            ),
        )
        self.made["grants"] += 1
        if rng.random() < 0.5:
            services.add_grant(
                actor=actor,
                grant=InstrumentGrant(
                    placement=placement,
                    kind=GrantKind.NO_RISK,
                    status=GrantStatus.GRANTED,
                    decided_on=placement.start_on,
                    start_on=placement.start_on,
                    funding=Funding.UWV,
                ),
            )
            self.made["grants"] += 1
        name, organisation, recognised = rng.choice(COACHES)
        services.assign_jobcoach(
            actor=actor,
            assignment=JobcoachAssignment(
                candidate=placement.candidate,
                coach_name=name,
                organisation=organisation,
                uwv_recognised=recognised,
                start_on=placement.start_on,
            ),
        )

    def at_the_end(self, placement: Placement) -> None:
        """A contract whose end has passed: extended into a permanent job (the durable
        outcome), or ended as agreed."""
        actor = _actor_for(placement.candidate)
        day = placement.planned_end_on + dt.timedelta(days=1)
        if placement.kind in WITH_BENEFIT_KEPT:
            services.end(
                actor=actor,
                placement=placement,
                on=placement.planned_end_on,
                reason=EndReason.COMPLETED,
                note="Afgerond; de werkgever had (nog) geen plek. Ervaring in het dossier gezet.",
            )
            self.made["ended"] += 1
            return
        if self.rng.random() < 0.55:
            services.convert(
                actor=actor,
                placement=placement,
                into=_placement(
                    placement.candidate,
                    placement.employer,
                    kind=PlacementKind.REGULAR,
                    contract=Contract.PERMANENT,
                    wage_pct_of_wml=placement.wage_pct_of_wml,
                    job_title=placement.job_title,
                    hours_per_week=placement.hours_per_week,
                    start_on=day,
                    owner_id=placement.owner_id,
                ),
            )
            self.made["converted"] += 1
        else:
            services.end(
                actor=actor,
                placement=placement,
                on=placement.planned_end_on,
                reason=EndReason.CONTRACT_ENDED,
                note="Contract niet verlengd; werkgever had geen structurele plek.",
            )
            self.made["ended"] += 1

    def maybe_end_early(self, placement: Placement) -> None:
        months_in = (self.today - placement.start_on).days // 30
        if months_in < 3 or self.rng.random() > 0.18:
            return
        on = placement.start_on + dt.timedelta(days=self.rng.randint(30, 80))
        reason = self.rng.choice([EndReason.DROPPED_OUT, EndReason.HEALTH, EndReason.DISMISSED])
        services.end(
            actor=_actor_for(placement.candidate),
            placement=placement,
            on=on,
            reason=reason,
            note="Na overleg met werkgever en jobcoach gestopt; terug naar de consulent.",
        )
        self.made["ended"] += 1


@seeder(order=70, name="placements")
def seed_placements(ctx: SeedContext) -> None:
    user = User.objects.filter(username="relatiemanager").select_related("staff").first()
    if user is None or not hasattr(user, "staff"):
        return
    seed = _Seed(ctx, user)
    rng, today = ctx.rng, seed.today
    region_id = actor_for(user).region_id
    placed: set[int] = set()

    # 1. The hires that came from the prettig gesprekken.
    kinds = {
        FollowUp.TRIAL: PlacementKind.TRIAL,
        FollowUp.WORK_EXPERIENCE: PlacementKind.WORK_EXPERIENCE,
    }
    from_meetings = (
        Conversation.objects.filter(shortlist_entry__outcome=IntroductionOutcome.HIRED)
        .select_related("candidate", "employer", "shortlist_entry__opportunity", "meeting")
        .order_by("meeting__starts_at", "pk")
    )
    for c in from_meetings:
        # The demo log-in ``kandidaat`` keeps her story: still looking, invited to the next one;
        # and only people handed over to a consultant are placed (the others are still the
        # client manager's, whatever a meeting brought).
        if (
            c.candidate_id in placed
            or c.candidate.user_id is not None
            or c.candidate.consultant_id is None
        ):
            continue
        start = timezone.localtime(c.shortlist_entry.outcome_at).date() + dt.timedelta(days=7)
        start = min(start, today)
        made = seed.story(
            c.candidate,
            c.employer,
            start,
            kinds.get(c.follow_up, PlacementKind.REGULAR),
            conversation=c,
            owner=seed.rm,
        )
        if made is not None:
            placed.add(c.candidate_id)

    # 2. Two years of other work found.
    candidates = list(
        Candidate.objects.filter(region_id=region_id, status=JourneyStatus.HANDED_OVER)
        .exclude(pk__in=placed)
        .exclude(consultant__isnull=True)
        .exclude(user__isnull=False)  # the demo log-in keeps her own story
        .order_by("pk")
    )
    employers = list(
        Employer.objects.filter(region_id=region_id, merged_into__isnull=True).order_by("pk")
    )
    count = ctx.size(demo=36, region=300, national=3000)
    chosen = rng.sample(candidates, min(count, len(candidates)))
    stories = (
        [PlacementKind.WORK_EXPERIENCE] * 12
        + [PlacementKind.TRIAL] * 5
        + [PlacementKind.REGULAR] * 9
    )
    # The relationship manager looks after a third of them, only people she may see in full
    # (her municipality, or consent): the first two of hers end within six weeks (the alert).
    full = full_access_q(actor_for(seed.rm.user), "")
    hers = (
        set(Candidate.objects.filter(full).values_list("pk", flat=True))
        if full is not None
        else set()
    )
    endings_left = 2
    for n, candidate in enumerate(chosen):
        start = today - dt.timedelta(days=rng.randint(20, 720))
        mine = candidate.pk in hers and (n % 3 == 0 or endings_left > 0)
        ending = mine and endings_left > 0
        made = seed.story(
            candidate,
            rng.choice(employers),
            start,
            PlacementKind.REGULAR if ending else rng.choice(stories),
            owner=seed.rm if mine else None,
            ending_soon=ending,
        )
        if made is None:
            continue
        if ending:
            endings_left -= 1
        placed.add(candidate.pk)
        seed.grants(made)
        if not ending:
            seed.maybe_end_early(made)

    for placement in Placement.objects.filter(
        region_id=region_id,
        status=PlacementStatus.RUNNING,
        planned_end_on__lt=today,
    ).select_related("candidate__consultant__user", "candidate__client_manager__user"):
        seed.at_the_end(placement)

    # What the paid jobs did to the benefit: full time mostly ends it, part time reduces it.
    for placement in Placement.objects.filter(
        region_id=region_id,
        kind=PlacementKind.REGULAR,
        preceded_by__kind__in=[PlacementKind.WORK_EXPERIENCE, PlacementKind.TRIAL],
    ) | Placement.objects.filter(
        region_id=region_id, kind=PlacementKind.REGULAR, preceded_by__isnull=True
    ):
        services.record_outflow(
            actor=_actor_for(placement.candidate),
            placement=placement,
            outflow=Outflow.FULL if placement.hours_per_week >= 28 else Outflow.PARTIAL,
            on=placement.start_on,
        )

    for placement in Placement.objects.filter(region_id=region_id).select_related(
        "candidate__consultant__user", "candidate__client_manager__user"
    ):
        seed.aftercare(placement, overdue_ok=placement.owner_id == seed.rm.pk)
    benefit_data(ctx, region_id)
    made = seed.made
    made["placements"] = Placement.objects.filter(region_id=region_id).count()
    ctx.say(
        f"Plaatsingen: {made['placements']} ({made['converted']} werkervaringsplaatsen of "
        f"proefplaatsingen omgezet in een contract, {made['ended']} voortijdig beëindigd), "
        f"{made['grants']} instrumenten toegekend, {made['overdue']} nazorgcontacten open."
    )


def benefit_data(ctx: SeedContext, region_id: int) -> None:
    """The municipalities' benefit data as it would be imported: every full exit from the
    benefit, and a return for some whose work ended (D2 counts them)."""
    events = []
    for p in Placement.objects.filter(
        region_id=region_id, outflow=Outflow.FULL, outflow_on__isnull=False
    ).select_related("candidate"):
        municipality_id = p.candidate.municipality_id
        events.append(
            BenefitEvent(
                municipality_id=municipality_id,
                bsn_pseudonym=p.candidate.bsn_pseudonym,
                kind=BenefitEventKind.OUTFLOW,
                on=p.outflow_on,
                source="seed-demo",
            )
        )
        ended = p.followed_by if hasattr(p, "followed_by") else None
        last = ended or p
        if last.status == PlacementStatus.ENDED and last.ended_on and ctx.rng.random() < 0.6:
            events.append(
                BenefitEvent(
                    municipality_id=municipality_id,
                    bsn_pseudonym=p.candidate.bsn_pseudonym,
                    kind=BenefitEventKind.REENTRY,
                    on=last.ended_on + dt.timedelta(days=ctx.rng.randint(14, 60)),
                    source="seed-demo",
                )
            )
    BenefitEvent.objects.bulk_create(
        [e for e in events if e.on <= timezone.localdate()], ignore_conflicts=True
    )
