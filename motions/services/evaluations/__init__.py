"""Every write of democratic evaluation (domain.md §4.5): member evaluation, leadership evaluation with its
consequences, the public rating of leaders (民评官), two-way reporting (双向述职).

The anonymous ratings of members are ballot-engine polls of kind "rating" (secret, frozen roll, sealed
box); the evaluation keeps only the poll and, once counted, the counts. Invited mass representatives and
members of the public rate once each through a one-time invitation: the token is shown once, stored as a
hash, and the rating adds to counts — nothing records who gave which value.

The counts and consequences are reads (`selectors.evaluations`), the next due date a rule; the names
imported `as` themselves stay here for the callers of `motions.services.evaluations`.
"""

from ...rules import next_leadership_evaluation_due as next_leadership_evaluation_due
from ...selectors.evaluations import consequences_of as consequences_of
from ...selectors.evaluations import leadership_counts as leadership_counts
from ...selectors.evaluations import poll_counts as poll_counts
from .leadership import (
    add_question,
    conclude_leadership_evaluation,
    invite_representative,
    open_leadership_rating,
    start_leadership_evaluation,
)
from .members import (
    advance_member_evaluation,
    conclude_member_evaluation,
    open_member_rating,
    set_grades,
    start_grading,
    start_member_evaluation,
    submit_peer_review,
    submit_self_assessment,
)
from .ratings import (
    create_public_rating,
    invite_public_rater,
    publish_public_rating,
    rate_by_invitation,
    record_two_way_rating,
    record_two_way_report,
)

__all__ = [  # noqa: RUF022 — grouped by module
    "add_question",
    "conclude_leadership_evaluation",
    "invite_representative",
    "open_leadership_rating",
    "start_leadership_evaluation",
    "advance_member_evaluation",
    "conclude_member_evaluation",
    "open_member_rating",
    "set_grades",
    "start_grading",
    "start_member_evaluation",
    "submit_peer_review",
    "submit_self_assessment",
    "create_public_rating",
    "invite_public_rater",
    "publish_public_rating",
    "rate_by_invitation",
    "record_two_way_rating",
    "record_two_way_report",
]
