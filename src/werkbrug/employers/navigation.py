from django.utils.translation import gettext_lazy as _

from werkbrug.core import navigation

navigation.register(
    navigation.NavItem(_("Employers"), "employers:list", "employers.view", order=10),
    navigation.NavItem(
        _("Work opportunities"), "employers:opportunities", "employers.view", order=11
    ),
    navigation.NavItem(_("My tasks"), "employers:tasks", "employers.tasks", order=12),
    navigation.NavItem(_("My company"), "employers:portal", "portal.employer", order=10),
    navigation.NavItem(
        _("Employer norms"), "employers:policy", "employers.policy", order=75, section="beheer"
    ),
)
