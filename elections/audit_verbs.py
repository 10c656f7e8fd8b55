"""The sentences of this app's audit verbs and the pages of its audited objects (branches.verbs)."""

from django.utils.translation import gettext_lazy as _

from branches.verbs import register_links, register_verbs

register_verbs(
    {
        "election.recommend_again": _("put a post to the recommendation again"),
        "election.recommendation_reopen": _("reopened the democratic recommendation"),
        "election.notice_start": _("started the notice of the pre-candidates"),
        "election.round_followed": _("linked the new round of a ballot to the election"),
        "election.announce": _("announced the result"),
        "election.ballot": _("prepared the ballot paper"),
        "election.cancel": _("cancelled the election"),
        "election.candidate_page": _("edited a candidate's page"),
        "election.candidates_fix": _("fixed the candidates"),
        "election.confirm": _("confirmed the result"),
        "election.draft": _("drafted the election request"),
        "election.duty": _("assigned the committee duties"),
        "election.file": _("filed the election records"),
        "election.inspect": _("inspected the pre-candidates"),
        "election.invite": _("invited the nominees"),
        "election.mass_recommend": _("recorded the mass recommendation"),
        "election.meeting_schedule": _("scheduled the election meeting"),
        "election.meeting_start": _("opened the election meeting"),
        "election.nominate": _("nominated a person"),
        "election.nomination_close": _("closed the nomination"),
        "election.nomination_open": _("opened the nomination"),
        "election.notice_end": _("ended the public notice"),
        "election.objection": _("raised an objection"),
        "election.objection_answer": _("answered an objection"),
        "election.observer": _("admitted an observer"),
        "election.pre_candidates": _("proposed the pre-candidates"),
        "election.pre_candidates_approve": _("approved the pre-candidates"),
        "election.pre_candidates_return": _("returned the pre-candidates"),
        "election.pre_candidates_submit": _("submitted the pre-candidates for approval"),
        "election.question": _("asked a candidate a question"),
        "election.question_answer": _("answered a question"),
        "election.quorum": _("confirmed the quorum"),
        "election.recommendation_close": _("closed the recommendation"),
        "election.recommendation_prepare": _("prepared the recommendation"),
        "election.reports": _("heard the work reports"),
        "election.request": _("submitted the election request"),
        "election.request_approve": _("approved the election request"),
        "election.request_return": _("returned the election request"),
        "election.review": _("reviewed a nominee"),
        "election.review_complete": _("completed the review"),
        "election.rules_adopt": _("adopted the election rules"),
        "election.scrutineers": _("appointed the scrutineers"),
        "election.seats_reduce": _("reduced the number of seats"),
        "election.take_office": _("recorded the taking of office"),
    }
)
register_links(
    {
        "elections.election": "elections:election",
        "elections.candidacy": "elections:candidate",
    }
)
