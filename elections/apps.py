from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        # The sentences of this app's audit verbs (branches.verbs) and its part of the work queue
        # (branches.workqueue).
        from ballots.signals import round_started
        from branches.outbox import disclosure_published

        from . import audit_verbs, work  # noqa: F401
        from .signals import follow_new_round, start_notice_on_publication

        round_started.connect(follow_new_round, dispatch_uid="elections.follow_new_round")
        disclosure_published.connect(start_notice_on_publication, dispatch_uid="elections.start_notice")
