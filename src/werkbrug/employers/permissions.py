"""Who may do what with the employer register (see core.access)."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

_SERVICE_ROLES = {
    Role.RELATIONSHIP_MANAGER,
    Role.CLIENT_MANAGER,
    Role.TEAM_LEAD,
    Role.FUNCTIONAL_ADMIN,
    Role.UWV_PARTNER,
}

register_permissions(
    {
        # The register is shared by the whole region and UWV as partner.
        "employers.view": _SERVICE_ROLES,
        "employers.edit": {Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD, Role.UWV_PARTNER},
        "employers.merge": {Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN},
        "employers.import": {Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN},
        "employers.policy": {Role.FUNCTIONAL_ADMIN},
        "employers.tasks": {Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD, Role.UWV_PARTNER},
        # The employer's own portal.
        "portal.employer": {Role.EMPLOYER_CONTACT},
    }
)
