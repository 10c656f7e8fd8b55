from django.utils.functional import SimpleLazyObject

from .selectors import scope_for


def navigation(request):
    """The user's scope (for role-dependent navigation) and his unread count — computed only when a template
    uses them: the voting booth's pages, which show no navigation, cost no query for them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"scope": scope_for(None)}
    from .notifications import unread_count
    from .workqueue import remembered_count

    return {
        "scope": SimpleLazyObject(lambda: scope_for(user)),
        "unread_count": SimpleLazyObject(lambda: unread_count(user)),
        # what waits on him, as the home page last counted it (the cache: no query on other pages)
        "work_count": SimpleLazyObject(lambda: remembered_count(user) or 0),
    }
