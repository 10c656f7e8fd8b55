"""URLs of 公推直选, under /elections/ (config/legacy_urls.py redirects the addresses of the old layout)."""

from django.urls import path

from .views import procedure

app_name = "elections"

urlpatterns = [
    path("", procedure.election_list, name="election_list"),
    path("branches/<int:pk>/new/", procedure.election_new, name="election_new"),
    path("<int:pk>/", procedure.election_detail, name="election"),
    path("<int:pk>/step/<slug:action>/", procedure.election_action, name="election_action"),
    path("candidates/<int:pk>/", procedure.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/review/", procedure.candidate_review, name="candidate_review"),
    path("candidates/<int:pk>/inspect/", procedure.candidate_inspect, name="candidate_inspect"),
    path("candidates/<int:pk>/object/", procedure.candidate_object, name="candidate_object"),
    path("candidates/<int:pk>/ask/", procedure.candidate_ask, name="candidate_ask"),
    path("candidates/<int:pk>/page/", procedure.candidate_page, name="candidate_page"),
    path("questions/<int:pk>/answer/", procedure.question_answer, name="question_answer"),
    path("objections/<int:pk>/answer/", procedure.objection_answer, name="objection_answer"),
    path("invite/<str:token>/", procedure.invitation, name="invitation"),
]
