"""Every write of the motions app. One domain error, `MotionError`, with a message for the user.

One module (or package) per sub-domain, as in `models/`; every service is re-exported here, so that
`from motions import services; services.x` reads the same wherever x lives."""

from . import evaluations, motions, proposals
from .common import MotionError
from .deliberation import (
    call_topic_meeting,
    conclude_topic,
    form_discussion_group,
    put_forward_topic,
    record_group_discussion,
    record_satisfaction,
    record_written_notice,
    review_topic,
)
from .evaluations import *  # noqa: F403 — every name of evaluations.__all__
from .inquiries import (
    add_inquiry_day,
    answer_inquiry,
    assign_inquiry,
    cosign_inquiry,
    file_inquiry,
    rate_inquiry,
    resolve_escalated_inquiry,
)
from .motions import *  # noqa: F403 — every name of motions.__all__
from .proposals import *  # noqa: F403 — every name of proposals.__all__
from .reports import conclude_report, file_report, move_inquiry_to_confidential_channel, take_up_report

__all__ = [  # noqa: RUF022 — grouped by module
    "MotionError",
    "call_topic_meeting",
    "conclude_topic",
    "form_discussion_group",
    "put_forward_topic",
    "record_group_discussion",
    "record_satisfaction",
    "record_written_notice",
    "review_topic",
    "add_inquiry_day",
    "answer_inquiry",
    "assign_inquiry",
    "cosign_inquiry",
    "file_inquiry",
    "rate_inquiry",
    "resolve_escalated_inquiry",
    "conclude_report",
    "file_report",
    "move_inquiry_to_confidential_channel",
    "take_up_report",
    *evaluations.__all__,
    *motions.__all__,
    *proposals.__all__,
]
