"""The meeting notice and the end-of-term reminder become rows of the reminder engine (branches.reminders).

Forward: each notice sent becomes a sent Reminder ("meeting.notice" at `notice_sent_at`, "term.ending" at
`reminded_at`); each meeting still scheduled and each term not yet over whose reminder has not gone out gets
it as a pending Reminder, due at the same moment (the term's: on its day, at the reminder hour);
their recipients are looked up when they fall due (branches.services), so none are stored here. Then the
old columns go. Backward: the columns come back, filled from those reminders, which are deleted.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

MEETING_NOTICE = "meeting.notice"
TERM_ENDING = "term.ending"


def _at_reminder_hour(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(settings.ZHIBU_RULES["reminder_hour"])))


def to_reminders(apps, schema_editor):
    Meeting = apps.get_model("branches", "Meeting")
    CommitteeTerm = apps.get_model("branches", "CommitteeTerm")
    Reminder = apps.get_model("branches", "Reminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    meeting_type, _created = ContentType.objects.get_or_create(app_label="branches", model="meeting")
    term_type, _created = ContentType.objects.get_or_create(app_label="branches", model="committeeterm")
    today = timezone.localdate()
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for meeting in Meeting.objects.filter(Q(status="scheduled") | Q(notice_sent_at__isnull=False)):
            local = timezone.localtime(meeting.starts_at)
            rows.append(
                Reminder(
                    kind=MEETING_NOTICE,
                    content_type=meeting_type,
                    object_id=meeting.pk,
                    due_at=meeting.notice_due_at,
                    subject=(
                        _("Meeting notice: %(title)s, %(when)s")
                        % {"title": meeting.title, "when": local.strftime("%Y-%m-%d %H:%M")}
                    )[:200],
                    body=f"{meeting.location}\n\n{meeting.agenda}",
                    url=reverse("branches:meeting", args=[meeting.pk]),
                    channels=["email", "sms"],
                    digest=False,
                    organisation_id=meeting.organisation_id,
                    status="sent" if meeting.notice_sent_at else "pending",
                    sent_at=meeting.notice_sent_at,
                )
            )
        terms = CommitteeTerm.objects.filter(Q(ends_on__gte=today) | Q(reminded_at__isnull=False))
        for term in terms.select_related("organisation"):
            org = term.organisation
            rows.append(
                Reminder(
                    kind=TERM_ENDING,
                    content_type=term_type,
                    object_id=term.pk,
                    due_at=_at_reminder_hour(term.reminder_due_on),
                    subject=(
                        _("The committee term of %(org)s ends on %(date)s") % {"org": org.name, "date": term.ends_on}
                    )[:200],
                    url=reverse("branches:organisation", args=[org.pk]),
                    channels=["email"],
                    organisation_id=org.pk,
                    status="sent" if term.reminded_at else "pending",
                    sent_at=term.reminded_at,
                )
            )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)


def from_reminders(apps, schema_editor):
    Meeting = apps.get_model("branches", "Meeting")
    CommitteeTerm = apps.get_model("branches", "CommitteeTerm")
    Reminder = apps.get_model("branches", "Reminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    days_before = dt.timedelta(days=settings.ZHIBU_RULES["meeting_notice_days_before"])
    meeting_type = ContentType.objects.filter(app_label="branches", model="meeting").first()
    term_type = ContentType.objects.filter(app_label="branches", model="committeeterm").first()
    notices = Reminder.objects.filter(kind=MEETING_NOTICE, content_type=meeting_type).exclude(status="cancelled")
    latest = {r.object_id: r for r in notices.order_by("due_at")}
    for meeting in Meeting.objects.all():
        reminder = latest.get(meeting.pk)
        meeting.notice_due_at = reminder.due_at if reminder else meeting.starts_at - days_before
        meeting.notice_sent_at = reminder.sent_at if reminder else None
        meeting.save(update_fields=["notice_due_at", "notice_sent_at"])
    sent = Reminder.objects.filter(kind=TERM_ENDING, content_type=term_type, status="sent")
    for reminder in sent:
        CommitteeTerm.objects.filter(pk=reminder.object_id).update(reminded_at=reminder.sent_at)
    Reminder.objects.filter(kind=MEETING_NOTICE, content_type=meeting_type).delete()
    Reminder.objects.filter(kind=TERM_ENDING, content_type=term_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0006_reminder_digest"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Nullable for the time of the copy, so that going backward can add the column to existing rows.
        migrations.AlterField(
            model_name="meeting",
            name="notice_due_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(to_reminders, from_reminders),
        migrations.RemoveField(model_name="committeeterm", name="reminded_at"),
        migrations.RemoveField(model_name="meeting", name="notice_due_at"),
        migrations.RemoveField(model_name="meeting", name="notice_sent_at"),
    ]
