"""Who may do what with evaluations (see core.access).

Researchers design surveys, draw control groups and read results, but never see names: the
invitation registry (who was asked) and the printed letters are for the team lead and the
administrator, who send them.
"""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

register_permissions(
    {
        # Surveys, control groups and their analyses: counts and anonymous answers only.
        "evaluation.research": {Role.RESEARCHER, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN},
        # Names and addresses of the invited (letters with a QR code, the registry).
        "evaluation.send": {Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN},
        # The complaints register: who handles complaints records them; counts on the dashboard.
        "evaluation.complaints": {
            Role.TEAM_LEAD,
            Role.FUNCTIONAL_ADMIN,
            Role.CLIENT_MANAGER,
            Role.RELATIONSHIP_MANAGER,
        },
    }
)
