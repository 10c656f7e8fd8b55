"""Every write of 公推直选, by step of the procedure; each ballot goes through the engine (ballots.services).

request        — the request (换届请示): drafted, submitted, approved or returned; nomination opened; cancelling
nomination     — recommendations from the four sources, closing nomination
invitations    — one-time links for mass representatives and the employer
review         — the qualification review by the higher committee
recommendation — democratic recommendation (民主推荐): engine polls, mass recommendations, the ranking
inspection     — inspection (考察) and the pre-candidates, submitted or returned
notice         — the public notice (公示) of the pre-candidates, ending by itself; objections
candidates     — the list of candidates fixed, candidate pages, questions before the vote
evaluation     — the three-way evaluation of the outgoing committee
meeting        — the election meeting up to its first ballot: reports, observers, quorum, scrutineers, rules
rounds         — the ballots: first round, runoff, 另行选举, repeat of a void round, fewer seats
results        — the result sheet announced
office         — duties, filing, the higher committee's approval, taking office
common         — what the steps share: move(), status and issue checks, reminders, meetings, disclosures

Reads (progress of a post, the roll call, issues) are in elections.selectors; pure rules in elections.rules.
"""

from .candidates import PAGE_FIELDS, answer_question, ask_question, fix_candidates, update_candidate_page
from .errors import ElectionError
from .evaluation import evaluate_as_member, evaluate_by_invitation
from .inspection import choose_pre_candidates, record_inspection, return_pre_candidates, submit_pre_candidates
from .invitations import invitation_for, invite
from .meeting import (
    add_observer,
    adopt_election_rules,
    attach_reports,
    confirm_quorum,
    elect_scrutineers,
    schedule_election_meeting,
    start_election_meeting,
)
from .nomination import close_nomination, nominate
from .notice import answer_objection, approve_pre_candidates, end_due_notices, raise_objection, start_notice
from .office import confirm_results, file_results, set_duty, take_office
from .recommendation import (
    close_recommendation,
    prepare_recommendation,
    recommend_again,
    recommend_by_invitation,
)
from .request import (
    approve_request,
    cancel_election,
    draft_election,
    open_nomination,
    return_request,
    submit_request,
)
from .results import announce_results
from .review import complete_review, review_candidacy
from .rounds import prepare_ballot, reduce_seats, repeat_round, start_further_round, start_runoff

__all__ = [
    "PAGE_FIELDS",
    "ElectionError",
    "add_observer",
    "adopt_election_rules",
    "announce_results",
    "answer_objection",
    "answer_question",
    "approve_pre_candidates",
    "approve_request",
    "ask_question",
    "attach_reports",
    "cancel_election",
    "choose_pre_candidates",
    "close_nomination",
    "close_recommendation",
    "complete_review",
    "confirm_quorum",
    "confirm_results",
    "draft_election",
    "elect_scrutineers",
    "end_due_notices",
    "start_notice",
    "evaluate_as_member",
    "evaluate_by_invitation",
    "file_results",
    "fix_candidates",
    "invitation_for",
    "invite",
    "nominate",
    "open_nomination",
    "prepare_ballot",
    "prepare_recommendation",
    "raise_objection",
    "recommend_again",
    "recommend_by_invitation",
    "record_inspection",
    "reduce_seats",
    "repeat_round",
    "return_pre_candidates",
    "return_request",
    "review_candidacy",
    "schedule_election_meeting",
    "set_duty",
    "start_election_meeting",
    "start_further_round",
    "start_runoff",
    "submit_pre_candidates",
    "submit_request",
    "take_office",
    "update_candidate_page",
]
