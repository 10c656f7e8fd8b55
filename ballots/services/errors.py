class BallotError(Exception):
    """A refused write of the ballot engine; the message is for the user, in his language."""


class BallotUnconfirmed(BallotError):
    """A blank or partly marked ballot, not cast: the booth asks the voter first (nothing is written)."""

    def __init__(self, message: str, *, blank: bool, unmarked: int):
        super().__init__(message)
        self.blank = blank
        self.unmarked = unmarked
