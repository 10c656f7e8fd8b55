"""The boards: the public one (anonymous visitors, society scope only, cached) and the member's board."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from .. import boardcache, selectors
from ..filters import BoardFilter, MemberBoardFilter
from ..models import BoardCategory
from ..rules import rule


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _filtered(board):
    """An invalid filter (an organisation the reader cannot choose) shows nothing rather than everything."""
    return board.qs if board.is_valid() else board.queryset.none()


@require_GET
def public_board(request: HttpRequest) -> HttpResponse:
    """The site's public face: what is disclosed to society, and the open meetings ahead.

    The board fragment is cached (boardcache): a visitor's request costs no query while it is fresh, four
    when it is not (organisations for the filter, the count, the page, the open meetings).
    """
    signed_in = request.user.is_authenticated
    cache_key = boardcache.key("public", get_language() or "", str(signed_in), request.GET.urlencode())
    html = boardcache.get(cache_key)
    if html is None:
        organisations = selectors.board_organisations(None, public_only=True)
        board = BoardFilter(
            request.GET, queryset=selectors.board_items(None, public_only=True), organisations=organisations
        )
        page = Paginator(_filtered(board), rule("disclosure_board_page_size")).get_page(
            request.GET.get("page")
        )
        context = {
            "filter": board,
            "page": page,
            "meetings": selectors.open_meetings(None),
            "query": _query_without_page(request),
            "categories": BoardCategory.choices,
            "public": True,
        }
        html = render_to_string("openness/public_board.html#board", context, request=request)
        boardcache.put(cache_key, html)
    return render(request, "openness/public_board.html", {"board_html": mark_safe(html)})  # noqa: S308 — our render


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The member's board: everything his scope allows (society, party-internal of his organisations, the
    ranges that name him); managers and supervisors see their subtree. Four queries whatever its length."""
    archive = request.GET.get("archive") in ("on", "true", "1")
    organisations = selectors.board_organisations(request.user)
    board = MemberBoardFilter(
        request.GET,
        queryset=selectors.board_items(request.user, archive=archive),
        organisations=organisations,
    )
    page = Paginator(_filtered(board), rule("disclosure_board_page_size")).get_page(request.GET.get("page"))
    context = {
        "filter": board,
        "page": page,
        "meetings": selectors.open_meetings(request.user),
        "query": _query_without_page(request),
        "categories": BoardCategory.choices,
        "public": False,
        "archive": archive,
    }
    return render(request, "openness/board.html", context)
