"""Menu entry of the meetings (see core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("Meetings"), "meetings:list", "meetings.view", order=13),
)
