"""Who may do what with candidate records (see core.access). Which records is in scopes.py."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

_CASEWORKERS = {Role.RELATIONSHIP_MANAGER, Role.CLIENT_MANAGER, Role.TEAM_LEAD}

register_permissions(
    {
        # Caseload and candidate pages; UWV partners see the regional pool only (scopes.py).
        "candidates.view": _CASEWORKERS | {Role.UWV_PARTNER},
        "candidates.edit": _CASEWORKERS,
        "candidates.create": {Role.CLIENT_MANAGER, Role.TEAM_LEAD},
        # Handing over to a relationship manager/consultant: the municipality's side.
        "candidates.handover": {Role.CLIENT_MANAGER, Role.TEAM_LEAD},
        # Recording consent on the candidate's behalf (in person, by phone, on paper).
        "candidates.consent": {Role.CLIENT_MANAGER, Role.RELATIONSHIP_MANAGER},
        "candidates.contact": {Role.CLIENT_MANAGER, Role.RELATIONSHIP_MANAGER},
        # Health and limitations: additionally limited to the person's own workers (scopes.py).
        "candidates.health": {Role.CLIENT_MANAGER, Role.RELATIONSHIP_MANAGER},
        "candidates.return": {Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD},
        "candidates.return_ack": {Role.CLIENT_MANAGER, Role.TEAM_LEAD},
        "candidates.signal": {Role.RELATIONSHIP_MANAGER, Role.CLIENT_MANAGER},
        "candidates.signal_decide": {Role.CLIENT_MANAGER, Role.TEAM_LEAD},
        "candidates.quality": {Role.TEAM_LEAD},
        "candidates.import": {Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN},
        "candidates.policy": {Role.FUNCTIONAL_ADMIN},
        # The candidate's own portal and the employer's view of people shared with them.
        "portal.candidate": {Role.CANDIDATE},
        "portal.employer_candidates": {Role.EMPLOYER_CONTACT},
    }
)
