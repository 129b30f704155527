"""Who may do what with placements (see core.access)."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

register_permissions(
    {
        # The people who place candidates and keep the work going; which placements follows
        # the candidate scope rule.
        "placements.view": {
            Role.RELATIONSHIP_MANAGER,
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.UWV_PARTNER,
        },
        # The region's aftercare template (check-ins, three-way conversation, alert weeks).
        "placements.policy": {Role.FUNCTIONAL_ADMIN, Role.TEAM_LEAD},
        "placements.manage": {
            Role.RELATIONSHIP_MANAGER,
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.UWV_PARTNER,
        },
        # Benefit data (uitstroom / herinstroom from the benefits system, for durability D2):
        # imported by the municipality's client managers, their team lead and the functional
        # administrator; stored as BSN pseudonyms only (benefit_services.py).
        "placements.import_benefits": {
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.FUNCTIONAL_ADMIN,
        },
    }
)
