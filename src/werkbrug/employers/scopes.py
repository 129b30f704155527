"""Which employer records an actor may see. Staff of the region see the shared register;
an employer's contact person sees only their own company; nobody else sees anything."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.core.roles import Role
from werkbrug.employers.models import (
    Action,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerPolicy,
    EmployerQuestion,
    OpportunityStatusChange,
    WorkOpportunity,
)


def _staff(actor: Actor, path: str) -> Q | None:
    if actor.is_superuser:
        return Q()
    if actor.is_staff_member and actor.region_id is not None and can(actor, "employers.view"):
        return Q(**{path: actor.region_id})
    return None


def _own_company(actor: Actor, path: str) -> Q | None:
    if actor.has_role(Role.EMPLOYER_CONTACT):
        return Q(**{f"{path}contact_persons__user_id": actor.user_id})
    return None


def _rule(staff_path: str, company_path: str | None) -> object:
    def rule(actor: Actor) -> Q | bool:
        staff = _staff(actor, staff_path)
        if staff is not None:
            return True if staff == Q() else staff
        if company_path is not None:
            own = _own_company(actor, company_path)
            if own is not None:
                return own
        return False

    return rule


scope_rule(Employer)(_rule("region_id", ""))
scope_rule(ContactPerson)(_rule("employer__region_id", "employer__"))
scope_rule(ContactMoment)(_rule("employer__region_id", None))  # internal notes: staff only
scope_rule(Action)(_rule("employer__region_id", None))
scope_rule(EmployerQuestion)(_rule("employer__region_id", "employer__"))
scope_rule(WorkOpportunity)(_rule("employer__region_id", "employer__"))
scope_rule(OpportunityStatusChange)(
    _rule("opportunity__employer__region_id", "opportunity__employer__")
)
scope_rule(EmployerPolicy)(_rule("region_id", None))
