"""URLs of 公推直选, under /elections/ (config/legacy_urls.py redirects the addresses of the old layout)."""

from django.urls import path

from .views import candidates, invitation, pages, steps

app_name = "elections"

urlpatterns = [
    path("", pages.election_list, name="election_list"),
    path("branches/<int:pk>/new/", pages.election_new, name="election_new"),
    path("<int:pk>/", pages.election_detail, name="election"),
    path("<int:pk>/step/<slug:action>/", steps.election_action, name="election_action"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/review/", candidates.candidate_review, name="candidate_review"),
    path("candidates/<int:pk>/inspect/", candidates.candidate_inspect, name="candidate_inspect"),
    path("candidates/<int:pk>/object/", candidates.candidate_object, name="candidate_object"),
    path("candidates/<int:pk>/ask/", candidates.candidate_ask, name="candidate_ask"),
    path("candidates/<int:pk>/page/", candidates.candidate_page, name="candidate_page"),
    path("questions/<int:pk>/answer/", candidates.question_answer, name="question_answer"),
    path("objections/<int:pk>/answer/", candidates.objection_answer, name="objection_answer"),
    path("invite/<str:token>/", invitation.invitation, name="invitation"),
]
