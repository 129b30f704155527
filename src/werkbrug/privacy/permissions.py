"""Who may do what with privacy (see core.access).

Requests from data subjects (inzage, correction, erasure) are handled by the people who work
with the candidate's file: the municipality's client managers and their team lead (the
functional administrator has no access to case content). Retention periods are set by the
functional administrator (domain guide §3: functional_admin manages retention)."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import Role

register_permissions(
    {
        "privacy.requests": {Role.CLIENT_MANAGER, Role.TEAM_LEAD},
        "privacy.retention": {Role.FUNCTIONAL_ADMIN},
    }
)
