from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organisations and members")

    def ready(self) -> None:
        # Django 6.1 puts "- Select an option -" at the head of every optional select of a model form and
        # of django-filter's choice filters, and its zh_Hans catalogue has no translation for it. Django's
        # documented way is to replace the label here; ours is translated in locale/.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("- Choose -")
        # The services register the reminder kinds whose recipients are looked up when due
        # (branches.reminders.recipients_when_due); the beat worker imports no view, so import them here.
        from . import audit_verbs, services, work  # noqa: F401  (the audit log's sentences, the work queue)
