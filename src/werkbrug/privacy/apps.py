from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "werkbrug.privacy"
    label = "privacy"
    verbose_name = "Privacy: bewaartermijnen en AVG-verzoeken"

    def ready(self) -> None:
        from werkbrug.privacy import (  # noqa: F401 - registration on import
            navigation,
            permissions,
            scopes,
        )
