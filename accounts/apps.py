from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes under a name the admin index can show in Chinese (axes has none: "Axes")."""

    verbose_name = _("Login lockouts")


class AccountsConfig(AppConfig):
    default = True  # this module holds two configs ("accounts" in INSTALLED_APPS means this one)
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.models import Group

        from core.history import label_field, name_related

        from .roles import ROLE_LABELS

        # A user's roles are auth groups named by their code: the history writes 主任, not "director".
        name_related(Group, lambda group: ROLE_LABELS.get(group.name, group.name))
        label_field("accounts.User", "groups", _("roles"))
