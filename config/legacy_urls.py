"""Addresses of the old layout, where the ballot engine lived inside elections/, redirect permanently.

A link in an old notice, e-mail or SMS (/elections/polls/7/vote/, /elections/elections/3/) still works: GET
and HEAD answer 301, every other method 308 so a form posted to an old address is re-posted, not lost.
The query string goes along.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import re_path


def _to(template: str):
    def view(request: HttpRequest, **parts: str) -> HttpResponsePermanentRedirect:
        target = template.format(**parts)
        if request.META.get("QUERY_STRING"):
            target = f"{target}?{request.META['QUERY_STRING']}"
        response = HttpResponsePermanentRedirect(target)
        if request.method not in ("GET", "HEAD"):
            response.status_code = 308  # Permanent Redirect: the method and body are kept
        return response

    return view


urlpatterns = [
    # The engine's pages moved from /elections/ to /ballots/ under the same paths.
    re_path(r"^elections/(?P<rest>(?:polls|meetings|options|scrutineers)/.*)$", _to("/ballots/{rest}")),
    # 公推直选 moved up one level: /elections/elections/3/ → /elections/3/.
    re_path(r"^elections/elections/(?P<rest>.*)$", _to("/elections/{rest}")),
    re_path(r"^elections/branches/(?P<pk>[0-9]+)/elections/new/$", _to("/elections/branches/{pk}/new/")),
]
