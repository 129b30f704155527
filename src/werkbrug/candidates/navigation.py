"""Menu entries of the candidate caseload (see core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("Candidates"), "candidates:caseload", "candidates.view", order=5),
    navigation.NavItem(_("Returns"), "candidates:returns", "candidates.view", order=6),
    navigation.NavItem(_("Data quality"), "candidates:quality", "candidates.quality", order=7),
)
