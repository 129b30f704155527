"""Menu entry of the monitoring app (see core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("Results"), "monitoring:dashboard", "monitoring.view", order=18),
)
