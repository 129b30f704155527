from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "werkbrug.employers"
    label = "employers"
    verbose_name = "Werkgevers"

    def ready(self) -> None:
        from werkbrug.employers import permissions, scopes  # noqa: F401  (navigation: see views)
