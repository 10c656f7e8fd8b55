"""Roster import (preview, then all or nothing) and export, in the national column order."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST


@login_required
@require_http_methods(["GET", "POST"])
def roster_upload(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@login_required
@require_GET
def roster_preview(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@login_required
@require_POST
def roster_apply(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@login_required
@require_GET
def roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
