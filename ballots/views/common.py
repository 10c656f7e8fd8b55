"""What the elections views share."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from ..services.errors import BallotError


def flash_step(request: HttpRequest, step: Callable[[], str | None]) -> bool:
    """An action posted from an object's page: the message the step returns (if any) is flashed as a
    success, the BallotError it raises as an error. True when it went through; the view redirects."""
    try:
        message = step()
    except BallotError as exc:
        messages.error(request, str(exc))
        return False
    if message:
        messages.success(request, message)
    return True
