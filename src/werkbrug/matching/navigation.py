"""Menu entries of matching (see core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("Fairness"), "matching:fairness", "matching.fairness", order=25),
    navigation.NavItem(
        _("Proposed candidates"), "matching:portal_proposals", "portal.employer", order=11
    ),
)
