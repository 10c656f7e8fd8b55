"""Domain signals: how results reach other apps (openness) without them being imported here."""

from django.dispatch import Signal

# Sent after the transaction that publishes a poll commits; receivers get `poll_id` only (a primary key,
# never ballot content).
poll_published = Signal()

# Sent inside the transaction that publishes a poll, with `poll` and `actor`: an app whose procedure the
# poll decides (a motion's vote) records its outcome in the same transaction, so publishing and announcing
# are one step and nothing stays 表决中 after the result is out. A receiver refuses with BallotError.
poll_publishing = Signal()

# Sent inside the transaction of `new_round()`, once the successor of a round exists: `previous_id` and
# `poll_id` (primary keys). An app that links its own rows to polls (an election's recommendation ballot)
# moves its link in the same transaction, so a new round never stands outside the procedure it belongs to.
round_started = Signal()
