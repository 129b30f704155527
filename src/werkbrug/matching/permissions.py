"""Who may do what with suggestions and shortlists (see core.access)."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

register_permissions(
    {
        # Reading suggestions (both directions): the people who bring candidates and work
        # together. Which candidates appear follows the candidate scope rule.
        "matching.suggest": {
            Role.RELATIONSHIP_MANAGER,
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.UWV_PARTNER,
        },
        # Shortlisting and proposing to an employer, recording introductions and outcomes.
        "matching.shortlist": {Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD, Role.UWV_PARTNER},
        # The fairness report: team leads, and researchers who audit.
        "matching.fairness": {Role.TEAM_LEAD, Role.RESEARCHER},
    }
)
