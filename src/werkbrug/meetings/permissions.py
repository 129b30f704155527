"""Who may do what with meetings (see core.access)."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

register_permissions(
    {
        # Everyone who brings employers and candidates together sees the meetings ...
        "meetings.view": {
            Role.RELATIONSHIP_MANAGER,
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.UWV_PARTNER,
        },
        # ... the relationship managers (and their team lead) organise them.
        "meetings.organise": {Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD},
    }
)
