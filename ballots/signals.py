"""Domain signals: how results reach other apps (openness) without them being imported here."""

from django.dispatch import Signal

# Sent after the transaction that publishes a poll commits; receivers get `poll_id` only (a primary key,
# never ballot content).
poll_published = Signal()
