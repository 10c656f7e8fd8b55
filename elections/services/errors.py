from ballots.services import BallotError


class ElectionError(BallotError):
    """A refused step of 公推直选; the message is for the user, in his language. A BallotError, so a page
    that runs a step catches the engine's refusals and the procedure's alike."""
