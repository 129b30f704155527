"""Menu entries of the rules (see core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("What does it cost?"), "rules:calculator", "rules.calculate", order=14),
    navigation.NavItem(
        _("Rules and instruments"), "rules:list", "rules.view", order=40, section="beheer"
    ),
)
