from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpennessConfig(AppConfig):
    name = "openness"
    verbose_name = _("Party-affairs disclosure")

    def ready(self) -> None:
        # Results of elections, motions and proposals arrive through the outbox signal (branches.outbox);
        # the beat sweep (tasks.sweep_disclosure_drafts) takes whatever a receiver missed.
        from branches.outbox import disclosure_offered, disclosure_withdrawn

        # The sentences of this app's audit verbs (branches.verbs), its part of the work queue (branches.workqueue).
        from . import audit_verbs, work  # noqa: F401
        from .services.intake import on_disclosure_offered, on_disclosure_withdrawn

        disclosure_offered.connect(on_disclosure_offered, dispatch_uid="openness.consume_disclosure_draft")
        disclosure_withdrawn.connect(
            on_disclosure_withdrawn, dispatch_uid="openness.withdraw_disclosure_items"
        )
