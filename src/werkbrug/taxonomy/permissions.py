"""Who may use the taxonomy (see core.access): the look-ups behind the occupation and task
fields of forms, for every staff member and for candidates filling in their own profile."""

from werkbrug.core.access import register_permissions
from werkbrug.core.roles import STAFF_ROLES, Role

register_permissions({"taxonomy.lookup": {*STAFF_ROLES, Role.CANDIDATE}})
