"""The one domain error of the branches app."""

from __future__ import annotations


class BranchError(Exception):
    """A refused write; the message is for the user, in his language."""
