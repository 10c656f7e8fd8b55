class DisclosureError(Exception):
    """A refused write of the openness app; the message is for the user, in his language."""
