"""Sessions that expire after SESSION_COOKIE_AGE idle seconds, without a database write on every request.

Django's SESSION_SAVE_EVERY_REQUEST pushes the expiry forward by saving the session on every request — a
write per page view, and per ballot when a whole meeting votes at once. Here the expiry is pushed forward
only when the last push is more than ZHIBU_SESSION_REFRESH_SECONDS old, so a session still ends between
SESSION_COOKIE_AGE − refresh and SESSION_COOKIE_AGE after the last request.

RequestSizeLimitMiddleware refuses a request larger than ZHIBU_MAX_REQUEST_BYTES before its body is read.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_noop

_KEY = "_zhibu_refreshed"


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            refreshed = session.get(_KEY)  # loads the session: an expired or unknown one loses its key
            now = int(time.time())
            stale = (
                not isinstance(refreshed, int) or now - refreshed >= settings.ZHIBU_SESSION_REFRESH_SECONDS
            )
            if session.session_key is not None and stale:
                session[_KEY] = now  # modified: SessionMiddleware saves it, with a new expiry
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is over ZHIBU_MAX_REQUEST_BYTES, from its declared length, unread.

    Django reads a posted form whole — an upload to memory or a temporary file — before any form or
    service can check a size, so a 2 GB post would be read to the end to be told "larger than 10 MB". Here
    the declared CONTENT_LENGTH is compared first: over the cap answers 413 and nothing reads the body
    (the server discards it). A body without a declared length (Transfer-Encoding: chunked) answers 411:
    Django's WSGI request reads CONTENT_LENGTH bytes, none when it is absent, so such a form would arrive
    empty. Early in MIDDLEWARE, before the session is loaded; no user or template yet, so the answer is a
    short text in the language the browser asks for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        limit = settings.ZHIBU_MAX_REQUEST_BYTES
        if declared:
            if not (declared.isascii() and declared.isdigit()):
                return _refusal(request, 400, gettext_noop("The request declares an invalid length."))
            if int(declared) > limit:
                return _refusal(
                    request,
                    413,
                    gettext_noop(
                        "The request is larger than %(mb)s MB, the most this site accepts; nothing was saved."
                    ),
                    mb=round(limit / (1024 * 1024), 1),
                )
        elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _refusal(
                request, 411, gettext_noop("The request does not declare its length; nothing was saved.")
            )
        return self.get_response(request)


def _refusal(request, status: int, message: str, **params) -> HttpResponse:
    """The refusal as text, translated here: LocaleMiddleware has not chosen the language yet."""
    with translation.override(translation.get_language_from_request(request)):
        text = translation.gettext(message) % params
    return HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
