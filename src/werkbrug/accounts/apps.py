from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "werkbrug.accounts"
    label = "accounts"
    verbose_name = "Accounts"
