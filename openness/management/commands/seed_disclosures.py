"""`manage.py seed_disclosures`: believable disclosure data on top of `seed_demo`, through the services.

In the demo branch (城关镇东街社区党支部): a quarterly dues report to society with a table (approved by the
town committee, beyond the branch's authority), a 5-working-day notice of a development candidate with a
member's comment answered, an item waiting for approval, and one returned with a comment; then the
catalogue obligations for the periods begun. Idempotent: if the first item exists, nothing is added.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from branches.models import Organisation
from openness import rules, services
from openness.models import CatalogueEntry, DisclosureItem

BRANCH = "城关镇东街社区党支部"
FIRST_TITLE = "东街社区党支部第三季度党费收缴、使用和管理情况"
DUES_TABLE = (
    "<p>根据《中国共产党党费收缴、使用和管理的规定》，现将本支部第三季度党费收缴情况公开如下：</p>"
    "<table><thead><tr><th>月份</th><th>应缴人数</th><th>实缴人数</th><th>金额（元）</th></tr></thead><tbody>"
    "<tr><td>7月</td><td>42</td><td>42</td><td>1,890.00</td></tr>"
    "<tr><td>8月</td><td>42</td><td>41</td><td>1,845.00</td></tr>"
    "<tr><td>9月</td><td>42</td><td>42</td><td>1,890.00</td></tr></tbody></table>"
    "<p>8月1名流动党员已于9月补缴。党费全部按规定上缴上级党委。</p>"
)
CHECKS = {name: True for name in rules.SECRECY_CHECKS}


class Command(BaseCommand):
    help = "Add demo disclosures (boards, notice, review queue, catalogue) to the seed_demo county."

    def handle(self, *args, **options) -> None:
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=["shuji", "ganbu", "jiancha", "dangyuan"])
        }
        branch = Organisation.objects.filter(name=BRANCH).first()
        if branch is None or len(users) < 4:
            raise CommandError("Run `manage.py seed_demo` first.")
        if DisclosureItem.objects.filter(organisation=branch, title=FIRST_TITLE).exists():
            self.stdout.write("The demo disclosures exist already; nothing added.")
            return
        with transaction.atomic():
            self.build(branch, users)
        self.stdout.write(self.style.SUCCESS("Demo disclosures added."))

    def _through_review(self, item, users):
        services.submit_item(actor=users["shuji"], item=item, reviewer=users["jiancha"])
        services.pass_secrecy_review(actor=users["jiancha"], item=item, checks=CHECKS)
        item.refresh_from_db()
        return item

    def build(self, branch: Organisation, users: dict) -> None:
        shuji, ganbu = users["shuji"], users["ganbu"]
        dues = CatalogueEntry.objects.filter(key="dues.collection").first()
        report = services.create_item(
            actor=shuji,
            organisation=branch,
            category="daily",
            title=FIRST_TITLE,
            body=DUES_TABLE,
            scope="society",
            timing="regular",
            catalogue_entry=dues,
            period="2026-Q3",
        )
        self._through_review(report, users)
        services.approve_item(actor=ganbu, item=report)  # to society from a branch: the town approves

        notice = services.create_item(
            actor=shuji,
            organisation=branch,
            category="organisation",
            title="关于确定李明同志为发展对象的公示",
            body="<p>经支部委员会研究，拟确定李明同志为发展对象。公示期内，党员和群众可通过本页或当面向支部"
            "反映意见。</p>",
            scope="internal",
            timing="phase",
            notice_working_days=5,
            catalogue_entry=CatalogueEntry.objects.filter(key="development.candidate").first(),
        )
        self._through_review(notice, users)
        services.approve_item(actor=shuji, item=notice)
        notice.refresh_from_db()
        comment = services.give_feedback(
            user=users["dangyuan"], item=notice, kind="comment", body="该同志积极参加社区志愿服务，同意。"
        )
        services.answer_feedback(actor=shuji, feedback=comment, answer="感谢您的意见，已记录在案。")

        waiting = services.create_item(
            actor=shuji,
            organisation=branch,
            category="leadership",
            title="关于调整支部委员分工的公告",
            body="<p>经支部委员会研究，调整委员分工如下：组织委员负责发展党员工作，宣传委员负责党务公开。</p>",
            scope="internal",
            timing="temporary",
        )
        self._through_review(waiting, users)  # cadre matters: waits for the town committee

        returned = services.create_item(
            actor=shuji,
            organisation=branch,
            category="plans",
            title="东街社区2027年党建工作计划（征求意见稿）",
            body="<p>一、指导思想……</p><p>二、主要任务……</p>",
            scope="society",
            timing="phase",
        )
        self._through_review(returned, users)
        services.return_item(
            actor=users["jiancha"],
            item=returned,
            comment="征求意见稿应先在党内公开，再向社会公开（先党内后党外）。",
        )
        services.open_obligations()
