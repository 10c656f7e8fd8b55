"""The sentences of this app's audit verbs and the pages of its audited objects (branches.verbs)."""

from django.utils.translation import gettext_lazy as _

from branches.verbs import register_links, register_verbs

register_verbs(
    {
        "poll.close": _("closed the ballot"),
        "poll.count": _("counted the votes"),
        "poll.count_void": _("voided the count"),
        "poll.create": _("set up a ballot"),
        "poll.new_round": _("started a new round of voting"),
        "poll.open": _("opened the ballot"),
        "poll.option_add": _("added an option to the ballot"),
        "poll.option_remove": _("removed an option from the ballot"),
        "poll.paper_accept": _("accepted the paper ballots"),
        "poll.paper_entry": _("entered paper ballots"),
        "poll.publish": _("published the result"),
        "poll.scrutineer_add": _("appointed a scrutineer"),
        "poll.scrutineer_remove": _("removed a scrutineer"),
        "poll.seal": _("sealed the ballot box"),
        "poll.unseal": _("unsealed the ballot box"),
        "poll.void": _("declared the ballot void"),
    }
)
register_links(
    {
        "ballots.poll": "ballots:poll",
    }
)
