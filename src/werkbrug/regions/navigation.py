from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("My team"), "regions:team", "team.overview", order=20),
    navigation.NavItem(
        _("Organisation"), "regions:manage_index", "regions.manage", order=70, section="beheer"
    ),
)
