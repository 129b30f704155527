"""Who may do what with rule sets and the calculator (see core.access)."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

register_permissions(
    {
        # Reading the rules in force and their sources: all staff.
        "rules.view": {
            Role.RELATIONSHIP_MANAGER,
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.UWV_PARTNER,
            Role.RESEARCHER,
            Role.FUNCTIONAL_ADMIN,
        },
        # Adding a new rule set (a new minimum wage, the region's own catalogue).
        "rules.manage": {Role.FUNCTIONAL_ADMIN},
        # "Wat kost het mij?" and the instrument advisor: who talks with employers.
        "rules.calculate": {
            Role.RELATIONSHIP_MANAGER,
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.UWV_PARTNER,
        },
    }
)
