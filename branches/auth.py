"""Members log in with their mobile phone number or their username; lock-out counts per account.

django-axes locks on the identifier it is given. Given what was typed, a member locked out under his
username could go on guessing under his phone number, and a right guess there would clear the lock. So
axes is given the account instead (`lockout_username`, AXES_USERNAME_CALLABLE): the username of the account
the typed identifier names, found exactly as the backend finds it (`account_for`), or the identifier itself
when it names no account.
"""

from __future__ import annotations

from axes.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.shortcuts import render


def account_for(identifier: str):
    """The user whose username or member's phone number is `identifier` (already stripped), or None."""
    User = get_user_model()
    return User.objects.filter(Q(username=identifier) | Q(member__phone=identifier)).order_by("pk").first()


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = account_for(username.strip())
        if user is None:
            # Run the hasher anyway, so a missing account takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name axes counts a log-in attempt under — the account's username whether
    its username or its phone number was typed; an identifier of no account, stripped, as it was typed.

    axes passes the credentials given to authenticate() (or, on a successful log-in, the username of the
    user), or none at all, when the identifier is read from the posted form, as axes itself does.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    elif request is not None:
        typed = getattr(request, "data", request.POST).get(field)
    else:
        typed = None
    if not isinstance(typed, str):
        return typed
    typed = typed.strip()
    user = account_for(typed) if typed else None
    return user.get_username() if user is not None else typed


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the locked-out page, without the username axes would put in its context (and
    in its JSON reply to a script): it would tell whoever typed a phone number whose account that is."""
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=settings.AXES_HTTP_RESPONSE_CODE)
