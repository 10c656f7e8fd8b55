from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _announce_on_publish(sender, *, poll, actor, **kwargs) -> None:
    from .services.motions.voting import announce_published_poll

    announce_published_poll(actor=actor, poll=poll)


class MotionsConfig(AppConfig):
    name = "motions"
    verbose_name = _("Motions and proposals")

    def ready(self) -> None:
        # The sentences of this app's audit verbs (branches.verbs) and its part of the work queue
        # (branches.workqueue).
        # Publishing a motion's poll announces the motion's outcome in the same transaction (one step).
        from ballots.signals import poll_publishing

        from . import audit_verbs, work  # noqa: F401

        poll_publishing.connect(_announce_on_publish, dispatch_uid="motions.announce_on_publish")
