"""Every write of a motion voted by ballot (票决制, domain.md §4.1), one module per stretch of its course.

The course, each step a state with its preconditions (rules.*_issues):
1. the committee discusses it (支委会, quorum ≥ 1/2 of the committee) and records its decision;
   for 四议两公开 the two committees then deliberate together (`drafting`);
2. the materials go to the members at least N days (3) before the general meeting; members comment,
   absent voting members may hand in written opinions (counted only for admission and conversion);
3. an optional hearing (听证会) (`circulation`);
4. the general meeting: quorum > 1/2 of the voting members present (≥ 2/3 for 四议两公开), the discussion
   recorded;
5. the ballot: an engine poll of kind "motion", one item at a time, secret (named only where the rules
   allow); the organiser runs it on the engine's pages (scrutineers, seal, open, close, unseal);
6. the outcome, announced as soon as the poll is counted: passed iff 赞成 > 1/2 of 应到 (`voting`); passed →
   the implementation is followed (responsible person, milestones with reminders, progress, result);
   failed → postponed. A third vote after two failures in a row needs a reason recorded by the committee
   (`implementation`, `drafting`).
The resolution and the implementation result are offered to the disclosure boards through the outbox.
"""

from .circulation import circulate_materials, comment_on_motion, record_hearing, record_written_opinion
from .drafting import (
    create_motion,
    record_committee_discussion,
    record_joint_deliberation,
    record_revote_reason,
)
from .implementation import (
    add_milestone,
    assign_implementation,
    complete_milestone,
    record_implementation_result,
    record_motion_progress,
    record_reserved_opinion,
)
from .voting import announce_outcome, put_to_vote, record_meeting_discussion, record_villagers_resolution

__all__ = [
    "add_milestone",
    "announce_outcome",
    "assign_implementation",
    "circulate_materials",
    "comment_on_motion",
    "complete_milestone",
    "create_motion",
    "put_to_vote",
    "record_committee_discussion",
    "record_hearing",
    "record_implementation_result",
    "record_joint_deliberation",
    "record_meeting_discussion",
    "record_motion_progress",
    "record_reserved_opinion",
    "record_revote_reason",
    "record_villagers_resolution",
    "record_written_opinion",
]
