import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from branches import reminders, services
from branches.models import Delivery, Notification
from branches.notifications import LocmemSmsBackend, deliver_pending, notify
from tests.conftest import _persona


def test_a_notification_reaches_the_inbox_and_each_channel_once(alice, sam):
    LocmemSmsBackend.outbox.clear()
    notify([alice, alice, sam], kind="test", subject="测试通知", body="正文", channels=("email", "sms"))
    assert Notification.objects.count() == 2  # the duplicate recipient is dropped
    assert deliver_pending() == 4
    assert deliver_pending() == 0  # a rerun sends nothing twice
    assert len(mail.outbox) == 2
    assert sorted(p for p, _ in LocmemSmsBackend.outbox) == ["13800000001", "13800000002"]


def test_a_user_without_an_address_is_skipped_not_retried(petra):
    notify([petra], kind="test", subject="无手机", channels=("sms",))
    deliver_pending()
    assert Delivery.objects.get().status == "skipped"


def test_a_failing_channel_is_retried_then_given_up(alice, settings):
    settings.ZHIBU_SMS_BACKEND = "tests.branches.test_notifications.BrokenSms"
    notify([alice], kind="test", subject="失败", channels=("sms",))
    for _ in range(5):
        deliver_pending()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 5)


class BrokenSms:
    def send(self, phone, text):
        raise ConnectionError("gateway down")


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_send_each_message_once(tree):
    from tests.conftest import _persona

    users = [_persona(f"worker{i}", tree.a) for i in range(20)]
    notify(users, kind="test", subject="并发", channels=("email",))
    results = []
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        try:
            results.append(deliver_pending())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 20
    assert len(mail.outbox) == 20
    assert Delivery.objects.filter(status="sent").count() == 20


def test_the_inbox_shows_and_marks_read(client, alice):
    notify([alice], kind="test", subject="请阅读", url="/")
    client.force_login(alice)
    response = client.get(reverse("branches:inbox"))
    assert "请阅读" in response.content.decode()
    assert response.context["unread_count"] == 1
    client.post(reverse("branches:inbox_read"))
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


def test_one_user_cannot_mark_another_users_message_read(client, alice, bob):
    note = notify([alice], kind="test", subject="私信")[0]
    client.force_login(bob)
    client.post(reverse("branches:inbox_read"), {"pk": note.pk})
    note.refresh_from_db()
    assert note.read_at is None


def test_the_end_of_term_reminder_goes_to_the_higher_officer_once(tree, olga, sam):
    term = services.start_term(actor=None, organisation=tree.a, starts_on=dt.date(2024, 1, 10))
    with time_machine.travel(dt.datetime(2028, 7, 9, 12, tzinfo=dt.UTC)):
        assert reminders.send_due_reminders() == 0
    with time_machine.travel(
        dt.datetime(2028, 7, 11, 12, tzinfo=dt.UTC)
    ):  # community: 5 years, 6 months before
        assert reminders.send_due_reminders() == 1
        assert reminders.send_due_reminders() == 0
    assert list(
        Notification.objects.filter(kind="term.ending").values_list("recipient__username", flat=True)
    ) == ["olga"]
    note = Notification.objects.get(kind="term.ending")
    assert note.subject == "东街社区党支部委员会任期将于 2029-01-10 届满"
    assert note.url == reverse("branches:organisation", args=[tree.a.pk])
    assert reminders.for_object(term).get().due_at == reminders.at_reminder_hour(dt.date(2028, 7, 10))


def test_the_end_of_term_reminder_goes_to_the_officers_of_the_day_it_falls_due(tree, olga):
    term = services.start_term(actor=None, organisation=tree.a, starts_on=dt.date(2024, 1, 10))
    services.end_role(actor=None, role=olga.member.roles.get(), ends_on=dt.date(2026, 1, 1))
    oscar = _persona("oscar", tree.town, role="officer", name="欧新干部")
    oscar.member.roles.update(starts_on=dt.date(2026, 1, 2))
    with time_machine.travel(reminders.at_reminder_hour(term.reminder_due_on) + dt.timedelta(minutes=1)):
        assert reminders.send_due_reminders() == 1
    assert list(
        Notification.objects.filter(kind="term.ending").values_list("recipient__username", flat=True)
    ) == ["oscar"]


def test_a_term_already_over_is_not_reminded(tree, olga):
    term = services.start_term(actor=None, organisation=tree.a, starts_on=dt.date(2015, 1, 10))
    assert not reminders.for_object(term).exists()
    assert reminders.send_due_reminders() == 0


def test_every_beat_entry_names_a_registered_task():
    from config.celery import app

    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_celery_redelivers_a_killed_workers_task_within_minutes():
    from django.conf import settings

    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 600


def test_the_tasks_run_through_the_real_redis_broker(alice):
    """The broker is the machine's Redis: a task sent is on the queue there."""
    import redis
    from django.conf import settings

    from branches.tasks import deliver_notifications

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery")
    deliver_notifications.delay()
    assert client.llen("celery") == 1
    client.delete("celery")
    assert timezone.now()
