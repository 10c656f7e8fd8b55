"""Thin Celery wrappers: each calls a service, is idempotent and safe to run twice (acks_late)."""

from celery import shared_task


@shared_task(acks_late=True)
def publish_scheduled_disclosures() -> int:
    from .services import publish_due_items

    return publish_due_items()


@shared_task(acks_late=True)
def complete_due_notices() -> int:
    from .services import complete_due_notices as run

    return run()


@shared_task(acks_late=True)
def expire_disclosures() -> int:
    from .services import expire_due_items

    return expire_due_items()


@shared_task(acks_late=True)
def open_disclosure_obligations() -> int:
    from .services import open_obligations

    return open_obligations()


@shared_task(acks_late=True)
def sweep_disclosure_drafts() -> int:
    from .services import sweep_drafts

    return sweep_drafts()
