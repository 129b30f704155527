from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "werkbrug.employers"
    label = "employers"
    verbose_name = "Werkgevers"

    def ready(self) -> None:
        from werkbrug.employers import panels, permissions, portal, scopes  # noqa: F401

        panels.register()
        # The menu (navigation.py) links to every page of the app, the employer portal too;
        # it is registered once the portal's route exists, so no page fails on a missing link.
        if any(getattr(route, "name", None) == "portal" for route in portal.urlpatterns):
            from werkbrug.employers import navigation  # noqa: F401
