"""First deliberation (首议): who may put a topic forward, and what stands before its conclusion."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from branches.rules import exceeds, rule

from ..models import TopicSource

if TYPE_CHECKING:
    from ..models import Topic


def topic_threshold_issues(source: str, supporters: int | None, base: int | None) -> list[str]:
    """Why a topic may not be put forward by this source with this support (empty: it may)."""
    if source in (TopicSource.BRANCH, TopicSource.VILLAGE_COMMITTEE):
        return []
    if source == TopicSource.MEMBERS:
        need = rule("first_deliberation_members_min")
        if (supporters or 0) < need:
            return [_("At least %(n)d members must put the topic forward jointly.") % {"n": need}]
        return []
    num, den = rule(f"first_deliberation_{source}_fraction")
    if not base:
        return [_("Give the total number (all villagers or all representatives) to check the threshold.")]
    if not exceeds(supporters or 0, base, (num, den), inclusive=True):
        return [
            _("%(have)d of %(base)d is below the threshold of %(num)d/%(den)d (%(need)d needed).")
            % {
                "have": supporters or 0,
                "base": base,
                "num": num,
                "den": den,
                "need": math.ceil(base * num / den),
            }
        ]
    return []


def topic_conclusion_issues(topic: Topic, *, groups: list, opinions: list, now: dt.datetime) -> list[str]:
    """What stands between a topic and its published conclusion (helios `issues_before_freeze`)."""
    issues = []
    if topic.meeting is None or topic.meeting.starts_at > now:
        issues.append(_("The meeting has not taken place yet."))
    if not groups:
        issues.append(_("No discussion group has been formed."))
    for group in groups:
        if not group.record.strip():
            issues.append(_("Group “%(name)s” has no record of its discussion.") % {"name": group.name})
    untold = [o.member.name for o in opinions if o.notified_at is None]
    if untold:
        issues.append(_("Not yet told in writing: %(names)s.") % {"names": "、".join(untold)})
    return issues
