from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("Ballots")

    def ready(self) -> None:
        # The sentences of this app's audit verbs (branches.verbs) and its part of the work queue
        # (branches.workqueue).
        from . import audit_verbs, work  # noqa: F401
