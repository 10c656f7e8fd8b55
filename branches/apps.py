from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organisations and members")

    def ready(self) -> None:
        # The services register the reminder kinds whose recipients are looked up when due
        # (branches.reminders.recipients_when_due); the beat worker imports no view, so import them here.
        from . import audit_verbs, services, work  # noqa: F401  (the audit log's sentences, the work queue)
