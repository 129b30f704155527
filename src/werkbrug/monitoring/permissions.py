"""Who may see and steer on results (see core.access)."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

register_permissions(
    {
        # Dashboards and council reports: counts, never names. Everyone who steers or
        # researches; what lies behind a number is shown through the records' own scopes.
        "monitoring.view": {
            Role.RELATIONSHIP_MANAGER,
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.RESEARCHER,
            Role.FUNCTIONAL_ADMIN,
            Role.UWV_PARTNER,
        },
        # Programmes and their targets, figures from outside: team leads and administrators.
        "monitoring.manage": {Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN},
        # Hours against a programme: the people who do the work, and their team lead.
        "monitoring.log_time": {
            Role.RELATIONSHIP_MANAGER,
            Role.CLIENT_MANAGER,
            Role.TEAM_LEAD,
            Role.UWV_PARTNER,
        },
    }
)
