"""The sentences of this app's audit verbs and the pages of its audited objects (branches.verbs)."""

from django.utils.translation import gettext_lazy as _

from branches.verbs import register_links, register_verbs

register_verbs(
    {
        "disclosure.withdraw": _("withdrew the item, as its source withdrew it"),
        "catalogue.create": _("added a catalogue entry"),
        "catalogue.edit": _("edited a catalogue entry"),
        "disclosure.approve": _("approved the disclosure"),
        "disclosure.archive": _("archived the disclosure"),
        "disclosure.attach": _("attached a file to the disclosure"),
        "disclosure.corrected": _("superseded the disclosure by a correction"),
        "disclosure.correction_started": _("started a correction of the disclosure"),
        "disclosure.create": _("drafted a disclosure"),
        "disclosure.detach": _("removed a file from the disclosure"),
        "disclosure.discard": _("discarded the disclosure draft"),
        "disclosure.edit": _("edited the disclosure"),
        "disclosure.expire": _("took the disclosure off display"),
        "disclosure.feedback": _("gave feedback on the disclosure"),
        "disclosure.feedback_answered": _("answered feedback on the disclosure"),
        "disclosure.notice_completed": _("completed the public notice"),
        "disclosure.publish": _("published the disclosure"),
        "disclosure.return": _("returned the disclosure with comments"),
        "disclosure.secrecy_passed": _("passed the secrecy review"),
        "disclosure.submit": _("submitted the disclosure for the secrecy review"),
    }
)
register_links(
    {
        "openness.disclosureitem": "openness:item",
    }
)
