from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "werkbrug.core"
    label = "core"
    verbose_name = "Werkbrug kern"

    def ready(self) -> None:
        from werkbrug.core import audit, navigation, panels, scopes  # noqa: F401
        from werkbrug.core.access import AUTHENTICATED

        audit.connect_signals()
        panels.register()
        navigation.register(
            navigation.NavItem(_("Home"), "home", AUTHENTICATED, order=0),
            navigation.NavItem(
                _("Change log"), "core:audit_changes", "audit.view", order=80, section="beheer"
            ),
            navigation.NavItem(
                _("Access log"), "core:audit_access", "audit.view", order=81, section="beheer"
            ),
            navigation.NavItem(
                _("System settings"), "core:settings", "settings.view", order=90, section="beheer"
            ),
        )
