"""Menu entry of the placements (see core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("Placements"), "placements:list", "placements.view", order=15),
    navigation.NavItem(
        _("Aftercare plan"), "placements:policy", "placements.policy", order=76, section="beheer"
    ),
    navigation.NavItem(
        _("Benefit data"),
        "placements:benefits_import",
        "placements.import_benefits",
        order=45,
        section="beheer",
    ),
)
