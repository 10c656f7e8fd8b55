from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotionsConfig(AppConfig):
    name = "motions"
    verbose_name = _("Motions and proposals")

    def ready(self) -> None:
        # The sentences of this app's audit verbs (branches.verbs), read by the audit log.
        from . import audit_verbs  # noqa: F401
