"""Domain signals: how results reach other apps (openness) without them being imported here."""

from django.dispatch import Signal

# Sent after the transaction that publishes a poll commits; receivers get `poll_id` only (a primary key,
# never ballot content).
poll_published = Signal()

# Sent inside the transaction that publishes a poll, with `poll` and `actor`: an app whose procedure the
# poll decides (a motion's vote) records its outcome in the same transaction, so publishing and announcing
# are one step and nothing stays 表决中 after the result is out. A receiver refuses with BallotError.
poll_publishing = Signal()
