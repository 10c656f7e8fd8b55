"""The default catalogue (公开目录): what every organisation owes to disclose (domain.md §5; 宣武, 泰安).

Entries are data: administrators change them in the admin, higher committees add their own for their
subtree. The outbox names entries by key (DisclosureDraft.catalogue_key; openness.services.intake).
"""

import datetime as dt

from django.conf import settings
from django.db import migrations

ALL_LEVELS = ["committee", "general_branch", "branch"]

# key, name, category, frequency, applies to, deadline (working days), scope, notice (working days);
# the names in capitals are limits of the rule set (below).
ENTRIES = [
    ("dues.collection", "党费收缴、使用和管理情况", "daily", "quarterly", ALL_LEVELS, "STANDING", "internal", None),
    ("leadership.division", "领导班子成员及分工", "leadership", "yearly", ALL_LEVELS, 20, "internal", None),
    ("plans.yearly", "年度工作计划和完成情况", "plans", "yearly", ALL_LEVELS, 20, "internal", None),
    ("integrity.report", "党风廉政建设情况", "integrity", "yearly", ["committee", "general_branch"], 20, "internal", None),
    ("evaluation.results", "民主评议党员结果", "organisation", "yearly", ["branch"], 20, "internal", None),
    ("development.activist", "推荐入党积极分子公示", "organisation", "event", [], "DECISION", "internal", "DEVELOPMENT"),
    ("development.candidate", "确定发展对象公示", "organisation", "event", [], "DECISION", "internal", "DEVELOPMENT"),
    ("development.conversion", "预备党员转正公示", "organisation", "event", [], "DECISION", "internal", "DEVELOPMENT"),
    ("election.procedure", "换届选举程序、条件和时间安排", "leadership", "event", [], "DECISION", "internal", None),
    ("election.nominees", "换届选举推荐人选", "leadership", "event", [], "DECISION", "internal", None),
    ("election.candidates", "换届选举预备人选公示", "leadership", "event", [], "DECISION", "internal", "CANDIDATES"),
    ("election.results", "换届选举结果", "leadership", "event", [], "DECISION", "internal", None),
    ("motion.resolution", "重大事项票决结果", "plans", "event", [], "DECISION", "internal", None),
    ("motion.implementation", "决议执行情况", "plans", "event", [], "STANDING", "internal", None),
    ("proposal.answer", "党员提议办理答复", "daily", "event", [], "STANDING", "internal", None),
]


def create(apps, schema_editor):
    CatalogueEntry = apps.get_model("openness", "CatalogueEntry")
    # The local limits of the rule set at installation (standing items 5 working days, decisions 1, notices 5
    # and 7); each entry keeps its own values afterwards, edited in the admin.
    rules = settings.ZHIBU_RULES
    limits = {
        "STANDING": rules.get("disclosure_standing_working_days", 5),
        "DECISION": rules.get("disclosure_decision_working_days", 1),
        "DEVELOPMENT": rules.get("disclosure_development_notice_working_days", 5),
        "CANDIDATES": rules.get("disclosure_candidate_notice_working_days", 7),
    }
    for key, name, category, frequency, applies_to, deadline, scope, notice in ENTRIES:
        deadline = limits.get(deadline, deadline)
        notice = limits.get(notice, notice)
        CatalogueEntry.objects.get_or_create(
            key=key,
            defaults=dict(name=name, category=category, frequency=frequency, applies_to=applies_to,
                          deadline_working_days=deadline, scope=scope, notice_working_days=notice,
                          starts_on=dt.date(2026, 1, 1), organisation=None),
        )


def remove(apps, schema_editor):
    CatalogueEntry = apps.get_model("openness", "CatalogueEntry")
    CatalogueEntry.objects.filter(key__in=[e[0] for e in ENTRIES], organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("openness", "0002_frozen_content_triggers")]

    operations = [migrations.RunPython(create, remove)]
