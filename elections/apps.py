from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        # The sentences of this app's audit verbs (branches.verbs), read by the audit log.
        from . import audit_verbs  # noqa: F401
