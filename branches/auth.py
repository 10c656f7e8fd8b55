"""Members log in with their mobile phone number or their username."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        username = username.strip()
        User = get_user_model()
        user = User.objects.filter(Q(username=username) | Q(member__phone=username)).order_by("pk").first()
        if user is None:
            # Run the hasher anyway, so a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
