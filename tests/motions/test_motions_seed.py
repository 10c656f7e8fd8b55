"""`seed_motions` builds its demo through the services on top of `seed_demo`, once."""

import pytest
from django.core.management import call_command

from motions.models import LeadershipEvaluation, MemberEvaluation, Motion, PublicRating


@pytest.mark.django_db(transaction=False)
def test_seed_motions_adds_a_passed_motion_and_the_evaluations_once():
    call_command("seed_demo")
    call_command("seed_motions")
    passed = Motion.objects.get(title="老旧小区加装电梯补助方案")
    assert passed.status == "passed" and passed.votes.get().passed
    assert passed.milestones.count() == 2 and passed.progress.count() == 1
    assert Motion.objects.get(title="社区党群服务中心夜间开放方案").status == "circulated"
    assert MemberEvaluation.objects.count() == 1 and LeadershipEvaluation.objects.count() == 1
    assert PublicRating.objects.get().status == "published"
    call_command("seed_motions")
    assert Motion.objects.count() == 2
