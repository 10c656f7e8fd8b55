from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        # The sentences of this app's audit verbs (branches.verbs) and its part of the work queue
        # (branches.workqueue).
        from . import audit_verbs, work  # noqa: F401
