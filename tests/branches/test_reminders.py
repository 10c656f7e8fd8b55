"""The reminder engine: rows, not timers; every reminder sent once whatever runs twice, fails or is killed."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from branches import reminders
from branches.models import Delivery, Digest, Notification, Reminder
from branches.notifications import LocmemSmsBackend, deliver_pending
from tests.factories import OrganisationFactory, UserFactory

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """A moment in March 2025, Shanghai time."""
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def subject(db):
    """Any model row can carry reminders; an organisation is the simplest."""
    return OrganisationFactory(name="第一党支部")


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


@pytest.fixture
def ben(db):
    return UserFactory(username="ben")


def remind(subject, users, due, kind="test.due", **kwargs):
    return reminders.schedule(
        kind=kind,
        obj=subject,
        due_at=due,
        recipients=users,
        subject=kwargs.pop("text", "请在期限内答复"),
        url="/x/",
        **kwargs,
    )


def tick(moment):
    with time_machine.travel(moment, tick=False):
        return reminders.run()


def test_scheduling_twice_leaves_one_row(subject, ann):
    remind(subject, [ann], at(10))
    remind(subject, [ann, ann], at(10))
    assert Reminder.objects.count() == 1
    assert list(Reminder.objects.get().recipients.all()) == [ann]


def test_a_reminder_is_not_sent_before_it_is_due(subject, ann):
    remind(subject, [ann], at(10))
    assert tick(at(10, 7, 59)) == {"reminders": 0, "digests": 0}
    assert not Notification.objects.exists()


def test_a_due_reminder_writes_the_inbox_row_and_one_digest_e_mail(subject, ann):
    remind(subject, [ann], at(10))
    assert tick(at(10, 8, 1)) == {"reminders": 1, "digests": 1}
    note = Notification.objects.get()
    assert (note.recipient, note.subject, note.reminder.kind) == (ann, "请在期限内答复", "test.due")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@example.cn"]
    assert "请在期限内答复" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<digest-")
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status) == ("email", "sent")


def test_the_beat_job_run_twice_sends_one_e_mail(subject, ann):
    remind(subject, [ann], at(10))
    tick(at(10, 8, 1))
    tick(at(10, 8, 2))
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert Reminder.objects.get().status == "sent"


def test_the_reminders_of_one_day_go_out_in_one_e_mail_per_person(subject, ann, ben):
    other = OrganisationFactory(name="第二党支部")
    remind(subject, [ann, ben], at(10), text="提议一即将到期")
    remind(other, [ann], at(10), text="提议二即将到期")
    remind(other, [ann], at(10, 7), kind="test.early", text="询问三即将到期")
    tick(at(10, 8, 1))
    assert Notification.objects.filter(recipient=ann).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.cn", "ben@example.cn"]
    body = next(m.body for m in mail.outbox if m.to == ["ann@example.cn"])
    assert all(text in body for text in ["提议一即将到期", "提议二即将到期", "询问三即将到期"])


def test_a_reminder_early_in_the_morning_waits_for_the_digest_hour(subject, ann):
    remind(subject, [ann], at(10, 6))
    assert tick(at(10, 6, 1)) == {"reminders": 1, "digests": 0}
    assert Notification.objects.count() == 1  # in the inbox at once
    assert mail.outbox == []
    tick(at(10, 8, 0))
    assert len(mail.outbox) == 1


def test_a_reminder_after_the_days_digest_goes_out_next_morning(subject, ann):
    remind(subject, [ann], at(10), text="上午的提醒")
    remind(subject, [ann], at(10, 15), kind="test.afternoon", text="下午的提醒")
    tick(at(10, 8, 1))
    tick(at(10, 15, 1))
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 2
    tick(at(11, 8, 1))
    assert len(mail.outbox) == 2
    assert "下午的提醒" in mail.outbox[1].body and "上午的提醒" not in mail.outbox[1].body
    assert Digest.objects.filter(recipient=ann).count() == 2


def test_without_the_digest_each_reminder_is_its_own_e_mail_through_the_outbox(subject, ann, settings):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "reminder_email_digest": False}
    remind(subject, [ann], at(10), text="一")
    remind(subject, [ann], at(10), kind="test.other", text="二")
    tick(at(10, 8, 1))
    assert Delivery.objects.filter(status="pending").count() == 2
    deliver_pending()
    deliver_pending()
    assert sorted(m.subject for m in mail.outbox) == ["一", "二"]


def test_a_reminder_kept_out_of_the_digest_is_its_own_e_mail_at_once(subject, ann):
    remind(subject, [ann], at(10, 6), text="会议通知", digest=False)
    assert tick(at(10, 6, 1)) == {"reminders": 1, "digests": 0}
    deliver_pending()
    assert [m.subject for m in mail.outbox] == ["会议通知"]  # at 06:01, not in the 08:00 digest
    assert not Digest.objects.exists()


def test_a_kind_can_name_its_recipients_when_the_reminder_falls_due(subject, ann, ben, monkeypatch):
    holders = [ann]
    monkeypatch.setitem(reminders._recipients_when_due, "test.live", lambda obj: list(holders))
    remind(subject, [], at(10), kind="test.live")  # nobody yet: scheduled all the same
    holders[:] = [ben]  # the role changed hands before the day
    tick(at(10, 8, 1))
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["ben"]


def test_an_sms_reminder_goes_through_the_outbox_at_once(subject, ann):
    from branches.models import Member
    from tests.factories import MemberFactory

    MemberFactory(organisation=subject, name="安", user=ann, phone="13900000009")
    assert Member.objects.get(user=ann).phone == "13900000009"
    LocmemSmsBackend.outbox.clear()
    remind(subject, [ann], at(10, 6), channels=("email", "sms"))
    tick(at(10, 6, 1))
    deliver_pending()
    assert LocmemSmsBackend.outbox == [("13900000009", "【支部】请在期限内答复")]
    assert mail.outbox == []  # the e-mail waits for the 08:00 digest


def test_a_missed_run_loses_nothing(subject, ann):
    remind(subject, [ann], at(10))
    tick(at(13, 9))  # the beat was down for three days
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().sent_at == at(13, 9)


def test_a_daily_reminder_repeats_until_it_is_cancelled(subject, ann):
    remind(subject, [ann], at(10), repeat_every=dt.timedelta(days=1))
    for day in (10, 11, 12):
        tick(at(day, 8, 1))
    assert Reminder.objects.filter(status="sent").count() == 3
    assert len(mail.outbox) == 3
    assert reminders.cancel(subject) == 1  # the occurrence of the 13th
    tick(at(13, 8, 1))
    assert len(mail.outbox) == 3


def test_a_daily_reminder_missed_for_days_catches_up_once(subject, ann):
    remind(subject, [ann], at(10), repeat_every=dt.timedelta(days=1))
    tick(at(14, 9))
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(status="pending").due_at == at(15)


def test_a_sent_reminder_stays_sent_when_scheduled_again_and_a_cancelled_one_revives(subject, ann, ben):
    first = remind(subject, [ann], at(10))
    tick(at(10, 8, 1))
    again = remind(subject, [ben], at(10))
    assert again.pk == first.pk and again.status == "sent"
    later = remind(subject, [ann], at(12))
    reminders.cancel(subject)
    later.refresh_from_db()
    assert later.status == "cancelled"
    revived = remind(subject, [ben], at(12))
    assert revived.pk == later.pk and revived.status == "pending"
    assert list(revived.recipients.all()) == [ben]


def test_nobody_to_remind_schedules_nothing(subject):
    assert remind(subject, [None], at(10)) is None
    assert not Reminder.objects.exists()


def test_a_person_without_an_e_mail_address_still_gets_the_inbox_row(subject):
    nomail = UserFactory(username="nomail", email="")
    remind(subject, [nomail], at(10))
    tick(at(10, 8, 1))
    assert Notification.objects.filter(recipient=nomail).count() == 1
    assert mail.outbox == []
    assert Digest.objects.get().status == "skipped"
    assert Delivery.objects.get().status == "skipped"


def test_a_failing_mail_server_is_retried_and_given_up_after_five_attempts(subject, ann, monkeypatch):
    calls = []

    def broken(self, *args, **kwargs):
        calls.append(1)
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    remind(subject, [ann], at(10))
    for minute in range(1, 8):
        tick(at(10, 8, minute))
    digest = Digest.objects.get()
    assert (digest.status, digest.attempts, len(calls)) == ("failed", 5, 5)
    assert "smtp down" in digest.error
    assert Delivery.objects.get().status == "failed"


def test_every_delivery_is_unique_per_reminder_channel_and_recipient(subject, ann):
    from django.db import IntegrityError, transaction

    reminder = remind(subject, [ann], at(10))
    tick(at(10, 8, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=ann, kind="x", subject="x", reminder=reminder)
    note = Notification.objects.get(reminder=reminder)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(notification=note, channel="email")


# --- concurrency: real threads on the real PostgreSQL ----------------------------------------------------


def _in_threads(target, n=2):
    barrier = threading.Barrier(n)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            target()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_send_one_e_mail(monkeypatch):
    org = OrganisationFactory(name="并发支部")
    users = [UserFactory(username=f"u{i}") for i in range(3)]
    for i in range(20):
        reminders.schedule(kind=f"test.{i}", obj=org, due_at=at(10), recipients=users, subject=f"TASK-{i}")
    real_send = mail.EmailMessage.send

    def slow_send(self, *args, **kwargs):
        threading.Event().wait(0.2)  # both workers are inside the send at the same moment
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", slow_send)
    with time_machine.travel(at(10, 8, 1), tick=False):
        _in_threads(reminders.run)
        _in_threads(reminders.run)
    assert Notification.objects.count() == 60
    assert sorted(m.to[0] for m in mail.outbox) == ["u0@example.cn", "u1@example.cn", "u2@example.cn"]
    assert all(m.body.count("TASK-") == 20 for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_digest_send_it_once(monkeypatch):
    org = OrganisationFactory(name="并发支部")
    ann = UserFactory(username="ann")
    reminders.schedule(kind="test.one", obj=org, due_at=at(10, 6), recipients=[ann], subject="一")
    with time_machine.travel(at(10, 6, 1), tick=False):
        reminders.run()  # held until 08:00
    real_send = mail.EmailMessage.send

    def slow_send(self, *args, **kwargs):
        threading.Event().wait(0.3)
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", slow_send)
    with time_machine.travel(at(10, 8, 1), tick=False):
        _in_threads(reminders.send_due_digests, n=3)
    assert len(mail.outbox) == 1


# --- a real Redis and a real Celery worker, killed while sending -----------------------------------------

WORKER_BROKER = "redis://127.0.0.1:6379/13"  # a Redis database of this test's own, flushed before and after


class Worker:
    """A `celery worker` process (optionally with its embedded beat) on the test database."""

    def __init__(self, tmp_path, *, beat: bool = False):
        import os
        import subprocess
        import sys

        from django.conf import settings as django_settings

        db = django_settings.DATABASES["default"]
        number = len(list(tmp_path.glob("worker-*")))
        self.log = tmp_path / f"worker-{number}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.branches.worker.settings",
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "ZHIBU_TEST_BROKER": WORKER_BROKER,
            "ZHIBU_MAIL_SINK": str(tmp_path / "mail"),
            "PYTHONUNBUFFERED": "1",
        }
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.branches.worker.app",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"reminders-test-{os.getpid()}@%h",
        ]
        if beat:
            args += ["--beat", "--schedule", str(tmp_path / "beat-schedule")]
        self.log_file = self.log.open("w")
        self.proc = subprocess.Popen(
            args,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and its pool child, no chance to clean up."""
        import os
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log_file.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for(condition, *, timeout: float, what: str, worker: Worker | None = None):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    log = worker.output()[-3000:] if worker else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{log}")


@pytest.fixture
def redis13():
    import redis

    client = redis.Redis.from_url(WORKER_BROKER)
    client.ping()
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []
    (tmp_path / "mail").mkdir()

    def start(**kwargs) -> Worker:
        worker = Worker(tmp_path, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def beat_tick() -> None:
    """What celery beat sends every minute: the name of the job, nothing else."""
    from celery import Celery

    with Celery("probe", broker=WORKER_BROKER) as probe:
        probe.send_task("branches.tasks.send_due_reminders")


def due_reminder(text: str) -> Reminder:
    org = OrganisationFactory(name="集成测试支部")
    user = UserFactory(username="remindee", email="remindee@example.cn")
    return reminders.schedule(
        kind="test.worker",
        obj=org,
        due_at=timezone.now() - dt.timedelta(minutes=1),
        recipients=[user],
        subject=text,
    )


def sent_mail(tmp_path) -> list[str]:
    from email import message_from_bytes, policy

    return [
        str(message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"])
        for path in sorted((tmp_path / "mail").glob("*.eml"))
    ]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_is_redone_after_restart_exactly_once(tmp_path, redis13, workers):
    due_reminder("杀进程测试")
    (tmp_path / "mail" / "block").touch()
    first = workers()
    beat_tick()
    wait_for(
        lambda: (tmp_path / "mail" / "sending").exists(), timeout=60, what="the send to start", worker=first
    )
    assert Reminder.objects.get().status == "sent"  # claimed and committed before the e-mail step
    first.kill()

    # The send never finished; PostgreSQL rolled the digest's transaction back with the dead connection, and
    # the task message is still unacknowledged in Redis.
    assert sent_mail(tmp_path) == []
    assert Digest.objects.get().status == "pending"
    assert redis13.hlen("unacked") == 1

    (tmp_path / "mail" / "block").unlink()
    second = workers()  # no beat: only the redelivered message can finish the job
    wait_for(lambda: sent_mail(tmp_path), timeout=120, what="the e-mail after the restart", worker=second)
    wait_for(
        lambda: redis13.hlen("unacked") == 0 and redis13.llen("celery") == 0,
        timeout=60,
        what="the queue to drain",
        worker=second,
    )
    assert len(sent_mail(tmp_path)) == 1
    digest = Digest.objects.get()
    assert (digest.status, digest.attempts) == ("sent", 1)
    assert Delivery.objects.get().status == "sent"
    assert "杀进程测试" in Notification.objects.get().subject


@pytest.mark.django_db(transaction=True)
def test_a_flushed_redis_loses_nothing_the_next_beat_sends_it_once(tmp_path, redis13, workers):
    due_reminder("清空Redis测试")
    beat_tick()
    assert redis13.llen("celery") == 1
    redis13.flushdb()  # the broker forgets the task; PostgreSQL still has the reminder

    worker = workers(beat=True)
    wait_for(lambda: sent_mail(tmp_path), timeout=60, what="the reminder e-mail", worker=worker)
    # Let beat tick a few more times: nothing more goes out.
    done_before = worker.output().count("succeeded")
    wait_for(
        lambda: worker.output().count("succeeded") >= done_before + 3,
        timeout=60,
        what="three more beat runs",
        worker=worker,
    )
    subjects = sent_mail(tmp_path)
    assert len(subjects) == 1 and timezone.localdate().isoformat() in subjects[0]
    assert Notification.objects.count() == 1
