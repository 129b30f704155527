from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_tables(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: the table of the database cache that holds the rate-limit counts
    (core.ratelimit), so no operator has to remember ``createcachetable``."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "werkbrug.core"
    label = "core"
    verbose_name = "Werkbrug kern"

    def ready(self) -> None:
        from werkbrug.core import audit, navigation, panels, scopes  # noqa: F401
        from werkbrug.core.access import AUTHENTICATED

        audit.connect_signals()
        post_migrate.connect(create_cache_tables, sender=self)
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
