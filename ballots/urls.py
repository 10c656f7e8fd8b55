"""URLs of the ballot engine, under /ballots/ (the old /elections/polls/… addresses redirect here)."""

from django.urls import path

from .views import manage, results, vote

app_name = "ballots"

urlpatterns = [
    path("", manage.poll_list, name="polls"),
    path("meetings/<int:pk>/new/", manage.poll_new, name="poll_new"),
    path("polls/<int:pk>/", manage.poll_detail, name="poll"),
    path("polls/<int:pk>/turnout/", manage.poll_turnout, name="turnout"),
    path("polls/<int:pk>/options/", manage.option_add, name="option_add"),
    path("options/<int:pk>/remove/", manage.option_remove, name="option_remove"),
    path("polls/<int:pk>/scrutineers/", manage.scrutineer_add, name="scrutineer_add"),
    path("scrutineers/<int:pk>/remove/", manage.scrutineer_remove, name="scrutineer_remove"),
    path("polls/<int:pk>/seal/", manage.seal, name="seal"),
    path("polls/<int:pk>/open/", manage.poll_open, name="open"),
    path("polls/<int:pk>/close/", manage.poll_close, name="close"),
    path("polls/<int:pk>/publish/", manage.poll_publish, name="publish"),
    path("polls/<int:pk>/void/", manage.poll_void, name="void"),
    path("polls/<int:pk>/new-round/", manage.poll_new_round, name="new_round"),
    path("polls/<int:pk>/desk/", manage.desk, name="desk"),
    path("polls/<int:pk>/paper/<int:entry>/", manage.paper_entry, name="paper_entry"),
    path("polls/<int:pk>/paper/accept/", manage.paper_accept, name="paper_accept"),
    path("polls/<int:pk>/unseal/", manage.unseal, name="unseal"),
    path("polls/<int:pk>/vote/", vote.vote, name="vote"),
    path("polls/<int:pk>/write-ins/", vote.write_in_search, name="write_in_search"),
    path("polls/<int:pk>/results/", results.results, name="results"),
    path("polls/<int:pk>/trackers/", results.tracker_list, name="trackers"),
    path("polls/<int:pk>/ballot.pdf", results.ballot_pdf, name="ballot_pdf"),
    path("polls/<int:pk>/report.pdf", results.report_pdf, name="report_pdf"),
]
