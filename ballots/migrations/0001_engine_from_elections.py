"""The ballot engine leaves elections/ for an app of its own: its models move in Django's state only.

The tables keep their names (`db_table = "elections_…"`), so not one row moves and the append-only
triggers of elections/0002 still guard the same tables. The content types (and so the audit log's links
and the permissions) move with the models.
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


MODELS = [
    "poll",
    "polloption",
    "scrutineer",
    "rollentry",
    "hasvoted",
    "ballot",
    "countedballot",
    "namedvote",
    "papercount",
    "signature",
    "pollresult",
]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "elections", "ballots")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "ballots", "elections")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('branches', '0008_attendance_exclusion_consent_and_vote'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('elections', '0003_election_procedure'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Poll',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('kind', models.CharField(choices=[('candidates', 'Candidates: for, against or abstain, with write-ins'), ('motion', 'Motion: for, against or abstain'), ('rating', 'Rating scale')], max_length=20, verbose_name='kind')),
                        ('secrecy', models.CharField(choices=[('secret', 'Secret ballot'), ('named', 'Named ballot')], default='secret', max_length=10, verbose_name='secrecy')),
                        ('seats', models.PositiveSmallIntegerField(default=1, verbose_name='seats')),
                        ('allow_write_in', models.BooleanField(default=False, verbose_name='write-ins allowed')),
                        ('scale', models.JSONField(blank=True, default=list, verbose_name='scale')),
                        ('rule_preset', models.CharField(choices=[('election', 'Election (选举条例)'), ('general_meeting', 'General meeting motion'), ('committee', 'Committee decision'), ('evaluation', 'Evaluation')], max_length=20, verbose_name='rule set')),
                        ('rules', models.JSONField(default=dict, editable=False)),
                        ('status', models.CharField(choices=[('draft', 'Being prepared'), ('open', 'Voting open'), ('closed', 'Voting closed'), ('counted', 'Counted'), ('published', 'Published'), ('void', 'Void')], default='draft', max_length=20, verbose_name='status')),
                        ('round_no', models.PositiveSmallIntegerField(default=1, verbose_name='round')),
                        ('void_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for voiding')),
                        ('public_key', models.BinaryField(null=True)),
                        ('wrapped_private_key', models.BinaryField(null=True)),
                        ('sealed_at', models.DateTimeField(editable=False, null=True)),
                        ('expected_count', models.PositiveIntegerField(editable=False, null=True)),
                        ('present_at_open', models.PositiveIntegerField(editable=False, null=True)),
                        ('present_at_close', models.PositiveIntegerField(editable=False, null=True)),
                        ('paper_accepted_at', models.DateTimeField(editable=False, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('opened_at', models.DateTimeField(editable=False, null=True)),
                        ('closed_at', models.DateTimeField(editable=False, null=True)),
                        ('counted_at', models.DateTimeField(editable=False, null=True)),
                        ('published_at', models.DateTimeField(editable=False, null=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='polls', to='branches.meeting', verbose_name='meeting')),
                        ('organisation', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='polls', to='branches.organisation')),
                        ('previous_round', models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='next_round', to='ballots.poll')),
                    ],
                    options={
                        'verbose_name': 'poll',
                        'verbose_name_plural': 'polls',
                        'db_table': 'elections_poll',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PaperCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('entry', models.PositiveSmallIntegerField()),
                        ('returned', models.PositiveIntegerField(verbose_name='ballots returned')),
                        ('invalid', models.PositiveIntegerField(verbose_name='invalid ballots')),
                        ('blank', models.PositiveIntegerField(verbose_name='blank ballots')),
                        ('totals', models.JSONField(default=dict)),
                        ('write_ins', models.JSONField(default=dict)),
                        ('entered_at', models.DateTimeField(auto_now=True)),
                        ('counter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('poll', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='paper_counts', to='ballots.poll')),
                    ],
                    options={
                        'db_table': 'elections_papercount',
                    },
                ),
                migrations.CreateModel(
                    name='NamedVote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content', models.JSONField()),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.member')),
                        ('poll', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='named_votes', to='ballots.poll')),
                    ],
                    options={
                        'db_table': 'elections_namedvote',
                    },
                ),
                migrations.CreateModel(
                    name='HasVoted',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('online', 'Online'), ('paper', 'Paper')], max_length=10)),
                        ('assisted', models.BooleanField(default=False)),
                        ('idempotency_key_hash', models.BinaryField(null=True)),
                        ('receipt', models.BinaryField(null=True)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.member')),
                        ('poll', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ballots.poll')),
                    ],
                    options={
                        'db_table': 'elections_hasvoted',
                    },
                ),
                migrations.CreateModel(
                    name='CountedBallot',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('content', models.JSONField()),
                        ('valid', models.BooleanField()),
                        ('blank', models.BooleanField()),
                        ('poll', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ballots.poll')),
                    ],
                    options={
                        'db_table': 'elections_countedballot',
                    },
                ),
                migrations.CreateModel(
                    name='Ballot',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('sealed', models.BinaryField()),
                        ('tracker', models.CharField(max_length=64)),
                        ('poll', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ballots.poll')),
                    ],
                    options={
                        'db_table': 'elections_ballot',
                    },
                ),
                migrations.CreateModel(
                    name='PollOption',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(max_length=200, verbose_name='label')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.member')),
                        ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='options', to='ballots.poll')),
                    ],
                    options={
                        'verbose_name': 'option',
                        'verbose_name_plural': 'options',
                        'db_table': 'elections_polloption',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PollResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rules', models.JSONField()),
                        ('expected', models.PositiveIntegerField()),
                        ('present', models.PositiveIntegerField()),
                        ('voters', models.PositiveIntegerField()),
                        ('returned', models.PositiveIntegerField()),
                        ('valid', models.PositiveIntegerField()),
                        ('invalid', models.PositiveIntegerField()),
                        ('blank', models.PositiveIntegerField()),
                        ('figures', models.JSONField()),
                        ('outcome', models.JSONField()),
                        ('void_required', models.BooleanField(default=False)),
                        ('counted_at', models.DateTimeField()),
                        ('poll', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='result', to='ballots.poll')),
                    ],
                    options={
                        'db_table': 'elections_pollresult',
                    },
                ),
                migrations.CreateModel(
                    name='RollEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.member')),
                        ('poll', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='roll', to='ballots.poll')),
                    ],
                    options={
                        'db_table': 'elections_rollentry',
                    },
                ),
                migrations.CreateModel(
                    name='Scrutineer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('share_index', models.PositiveSmallIntegerField(editable=False, null=True)),
                        ('encrypted_share', models.BinaryField(null=True)),
                        ('salt', models.BinaryField(null=True)),
                        ('opslimit', models.PositiveBigIntegerField(editable=False, null=True)),
                        ('memlimit', models.PositiveBigIntegerField(editable=False, null=True)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='branches.member')),
                        ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scrutineers', to='ballots.poll')),
                    ],
                    options={
                        'verbose_name': 'scrutineer',
                        'verbose_name_plural': 'scrutineers',
                        'db_table': 'elections_scrutineer',
                        'ordering': ['pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Signature',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('purpose', models.CharField(choices=[('paper', 'Accepted the paper count'), ('count', 'Unsealed and counted')], max_length=10)),
                        ('signed_at', models.DateTimeField()),
                        ('poll', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='ballots.poll')),
                        ('scrutineer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='ballots.scrutineer')),
                    ],
                    options={
                        'db_table': 'elections_signature',
                    },
                ),
                migrations.AddConstraint(
                    model_name='poll',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'open', 'closed', 'counted', 'published', 'void'])), name='poll_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='poll',
                    constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['candidates', 'motion', 'rating'])), name='poll_kind_valid'),
                ),
                migrations.AddConstraint(
                    model_name='poll',
                    constraint=models.CheckConstraint(condition=models.Q(('secrecy__in', ['secret', 'named'])), name='poll_secrecy_valid'),
                ),
                migrations.AddConstraint(
                    model_name='poll',
                    constraint=models.CheckConstraint(condition=models.Q(('rule_preset__in', ['election', 'general_meeting', 'committee', 'evaluation'])), name='poll_preset_valid'),
                ),
                migrations.AddConstraint(
                    model_name='poll',
                    constraint=models.CheckConstraint(condition=models.Q(('seats__gte', 1)), name='poll_seats_positive'),
                ),
                migrations.AddConstraint(
                    model_name='poll',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), ('status', 'void'), ('public_key__isnull', False), _connector='OR'), name='poll_sealed_before_open'),
                ),
                migrations.AddConstraint(
                    model_name='papercount',
                    constraint=models.UniqueConstraint(fields=('poll', 'entry'), name='paper_count_entry_once'),
                ),
                migrations.AddConstraint(
                    model_name='papercount',
                    constraint=models.UniqueConstraint(fields=('poll', 'counter'), name='paper_count_counter_once'),
                ),
                migrations.AddConstraint(
                    model_name='papercount',
                    constraint=models.CheckConstraint(condition=models.Q(('entry__in', [1, 2])), name='paper_count_entry_1_or_2'),
                ),
                migrations.AddConstraint(
                    model_name='namedvote',
                    constraint=models.UniqueConstraint(fields=('poll', 'member'), name='named_vote_once'),
                ),
                migrations.AddConstraint(
                    model_name='hasvoted',
                    constraint=models.UniqueConstraint(fields=('poll', 'member'), name='has_voted_once'),
                ),
                migrations.AddConstraint(
                    model_name='hasvoted',
                    constraint=models.CheckConstraint(condition=models.Q(('channel__in', ['online', 'paper'])), name='has_voted_channel_valid'),
                ),
                migrations.AddConstraint(
                    model_name='ballot',
                    constraint=models.UniqueConstraint(fields=('poll', 'tracker'), name='ballot_tracker_unique'),
                ),
                migrations.AddConstraint(
                    model_name='polloption',
                    constraint=models.UniqueConstraint(condition=models.Q(('member__isnull', False)), fields=('poll', 'member'), name='option_member_once'),
                ),
                migrations.AddConstraint(
                    model_name='rollentry',
                    constraint=models.UniqueConstraint(fields=('poll', 'member'), name='roll_member_once'),
                ),
                migrations.AddConstraint(
                    model_name='scrutineer',
                    constraint=models.UniqueConstraint(fields=('poll', 'member'), name='scrutineer_once'),
                ),
                migrations.AddConstraint(
                    model_name='signature',
                    constraint=models.UniqueConstraint(fields=('poll', 'scrutineer', 'purpose'), name='signature_once'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
