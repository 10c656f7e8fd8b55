class BallotError(Exception):
    """A refused write of the ballot engine; the message is for the user, in his language."""
