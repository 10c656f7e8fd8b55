"""Thin Celery wrappers: each calls a service and is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def mix_ballots() -> int:
    """Move every open poll's inbox that holds a full batch into the box, shuffled (services/mixing.py).
    Twice is harmless: a batch leaves the inbox in the statement that writes it into the box."""
    from .services.mixing import mix_due

    return mix_due()
