from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        from ballots.signals import round_started

        from .signals import follow_new_round

        round_started.connect(follow_new_round, dispatch_uid="elections.follow_new_round")
