"""Menu entries of the privacy app (see core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(
        _("Data subject requests"), "privacy:requests", "privacy.requests", order=23
    ),
    navigation.NavItem(
        _("Retention periods"), "privacy:retention", "privacy.retention", order=77, section="beheer"
    ),
)
