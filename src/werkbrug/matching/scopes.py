"""Which shortlist entries an actor may see.

* Staff see an entry when they may see both the opportunity's employer (the region's shared
  register) and the candidate (the candidate scope rule, consent included).
* An employer's contact person sees the entries of their own company's opportunities once
  proposed: the anonymous profile frozen at proposal, never the candidate record itself.
"""

from __future__ import annotations

from django.db.models import Q

from werkbrug.candidates.models import Candidate
from werkbrug.core import access
from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.core.roles import Role
from werkbrug.matching.models import VISIBLE_TO_EMPLOYER, ShortlistEntry


@scope_rule(ShortlistEntry)
def _shortlist(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if actor.is_staff_member and actor.region_id and can(actor, "matching.suggest"):
        return Q(opportunity__employer__region_id=actor.region_id) & Q(
            candidate__in=access.scoped(Candidate, actor).values("pk")
        )
    if actor.has_role(Role.EMPLOYER_CONTACT) and can(actor, "portal.employer"):
        return Q(
            opportunity__employer__contact_persons__user_id=actor.user_id,
            status__in=VISIBLE_TO_EMPLOYER,
        )
    return False
