"""The login: `User`, linked to a member's record where there is one."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Party members have a `member` record; staff without one can exist (administrators)."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        member = getattr(self, "member", None)
        return member.name if member else (self.get_full_name() or self.username)
