from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "werkbrug.taxonomy"
    label = "taxonomy"
    verbose_name = "Beroepen en taken"

    def ready(self) -> None:
        from werkbrug.taxonomy import permissions, scopes  # noqa: F401 - registration on import
