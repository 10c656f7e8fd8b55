from .selectors import scope_for


def navigation(request):
    """The user's scope (for role-dependent navigation) and his unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"scope": scope_for(None)}
    from .notifications import unread_count

    return {"scope": scope_for(user), "unread_count": unread_count(user)}
