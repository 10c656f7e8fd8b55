"""Every write of the ballot engine: atomic, keyword-only, audited (never with ballot content).

`polls` prepares, opens, closes, voids and publishes a poll; `ballots` casts online and issues paper
ballots; `counting` takes the paper entries and unseals and counts the box.
"""

from .ballots import CastResult, cast_ballot, eligible_write_ins, issue_paper_ballot  # noqa: I001
from .counting import accept_paper_count, count_poll, enter_paper_count
from .errors import BallotError, BallotUnconfirmed
from .polls import (
    add_option,
    add_scrutineer,
    close_poll,
    create_poll,
    new_round,
    open_poll,
    publish_poll,
    remove_option,
    remove_scrutineer,
    seal_box,
    void_poll,
)

__all__ = [
    "CastResult",
    "BallotError",
    "BallotUnconfirmed",
    "accept_paper_count",
    "add_option",
    "add_scrutineer",
    "cast_ballot",
    "close_poll",
    "count_poll",
    "create_poll",
    "eligible_write_ins",
    "enter_paper_count",
    "issue_paper_ballot",
    "new_round",
    "open_poll",
    "publish_poll",
    "remove_option",
    "remove_scrutineer",
    "seal_box",
    "void_poll",
]
