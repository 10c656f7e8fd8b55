"""The life cycles of motions and evaluations as tables: every (from, to) pair, allowed or refused."""

import itertools

import pytest

from motions import states
from motions.models import LeadershipStatus, MemberEvaluationStatus, MotionStatus

MOTION_ALLOWED = {
    ("draft", "discussed"),
    ("discussed", "circulated"),
    ("circulated", "heard"),
    ("circulated", "debated"),
    ("heard", "debated"),
    ("debated", "voting"),
    ("voting", "passed"),
    ("voting", "postponed"),
    ("voting", "debated"),
    ("passed", "implemented"),
    ("postponed", "discussed"),
}


@pytest.mark.parametrize("old, new", list(itertools.product(MotionStatus.values, repeat=2)))
def test_the_motion_table(old, new):
    assert states.MOTION.allowed(old, new) is ((old, new) in MOTION_ALLOWED)


def test_every_motion_state_is_in_the_table():
    assert set(states.MOTION.moves) == set(MotionStatus.values)


@pytest.mark.parametrize("old, new", list(itertools.product(MemberEvaluationStatus.values, repeat=2)))
def test_the_member_evaluation_table_only_moves_forward_one_step(old, new):
    order = list(MemberEvaluationStatus.values)
    assert states.MEMBER_EVALUATION.allowed(old, new) is (order.index(new) == order.index(old) + 1)


@pytest.mark.parametrize("old, new", list(itertools.product(LeadershipStatus.values, repeat=2)))
def test_the_leadership_table_only_moves_forward_one_step(old, new):
    order = list(LeadershipStatus.values)
    assert states.LEADERSHIP_EVALUATION.allowed(old, new) is (order.index(new) == order.index(old) + 1)


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_status(tree, sam):
    from django.db import IntegrityError

    from motions.models import Motion

    from .motion_helpers import draft

    motion = draft(tree.a, sam)
    with pytest.raises(IntegrityError):
        Motion.objects.filter(pk=motion.pk).update(status="approved")
