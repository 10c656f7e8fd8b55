"""Sessions that expire after SESSION_COOKIE_AGE idle seconds, without a database write on every request.

Django's SESSION_SAVE_EVERY_REQUEST pushes the expiry forward by saving the session on every request — a
write per page view, and per ballot when a whole meeting votes at once. Here the expiry is pushed forward
only when the last push is more than ZHIBU_SESSION_REFRESH_SECONDS old, so a session still ends between
SESSION_COOKIE_AGE − refresh and SESSION_COOKIE_AGE after the last request.
"""

from __future__ import annotations

import time

from django.conf import settings

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
