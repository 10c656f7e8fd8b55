"""Small pieces every app's views share."""

from django.contrib import messages
from django.http import HttpRequest


def flash_form_errors(request: HttpRequest, form, prefix: str = "") -> None:
    """Each error of a form posted from another page, as a message on the page the user goes back to."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, f"{prefix}{error}")
