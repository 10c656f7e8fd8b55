"""Every write of the branches app: atomic, keyword-only, audited, returning the object.

One module per sub-domain: `organisations` (the tree, committee terms and their reminder), `members`
(records, households, liaisons), `roles`, `meetings` (scheduling, the notice, the life cycle, sitting in)
and `attendance` (the roll, sign-in, exclusions from 应到); `errors` holds `BranchError`. Recruitment,
transfers and dues will be modules of their own beside `members`. Every name is re-exported here: callers
import from `branches.services`.
"""

from .attendance import (
    consent_to_exclusion,
    mark_all_present,
    record_exclusion_vote,
    request_exclusion,
    set_attendance,
    sign_in,
    sign_in_by_token,
    signin_token,
    signin_token_is_valid,
)
from .errors import BranchError
from .meetings import (
    MEETING_NOTICE,
    cancel_meeting,
    close_meeting,
    decide_sit_in,
    declare_online,
    expected_members,
    meeting_notice_recipients,
    plan_meeting_notice,
    record_minutes,
    refresh_roll,
    refresh_rolls_below,
    request_sit_in,
    schedule_meeting,
    start_meeting,
)
from .members import MEMBER_FIELDS, add_household, add_member, link_liaison, pinyin_key, update_member
from .organisations import (
    TERM_ENDING,
    create_organisation,
    plan_term_reminder,
    start_term,
    term_reminder_recipients,
)
from .roles import assign_role, committee_shape, end_role, officers_above

__all__ = [  # noqa: RUF022 — grouped by module
    "BranchError",
    "TERM_ENDING",
    "create_organisation",
    "plan_term_reminder",
    "start_term",
    "term_reminder_recipients",
    "MEMBER_FIELDS",
    "add_household",
    "add_member",
    "link_liaison",
    "pinyin_key",
    "update_member",
    "assign_role",
    "committee_shape",
    "end_role",
    "officers_above",
    "MEETING_NOTICE",
    "cancel_meeting",
    "close_meeting",
    "decide_sit_in",
    "declare_online",
    "refresh_roll",
    "refresh_rolls_below",
    "expected_members",
    "meeting_notice_recipients",
    "plan_meeting_notice",
    "record_minutes",
    "request_sit_in",
    "schedule_meeting",
    "start_meeting",
    "consent_to_exclusion",
    "record_exclusion_vote",
    "request_exclusion",
    "set_attendance",
    "sign_in",
    "sign_in_by_token",
    "signin_token",
    "signin_token_is_valid",
    "mark_all_present",
]
