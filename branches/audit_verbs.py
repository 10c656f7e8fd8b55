"""The sentences of this app's audit verbs and the pages of its audited objects (branches.verbs)."""

from django.utils.translation import gettext_lazy as _

from branches.verbs import register_links, register_verbs

register_verbs(
    {
        "attendance.all_present": _("marked everyone present at the desk"),
        "attendance.exclusion_consent": _("gave consent to exclude a member from the count"),
        "attendance.exclusion_request": _("asked to exclude a member from the count"),
        "attendance.exclusion_vote": _("put the exclusion from the count to the vote"),
        "attendance.set": _("recorded attendance"),
        "attendance.sign_in": _("signed in to the meeting"),
        "household.add": _("added a household contact"),
        "inquiry_day.add": _("scheduled an inquiry day"),
        "liaison.link": _("linked a liaison"),
        "meeting.cancel": _("cancelled the meeting"),
        "meeting.close": _("closed the meeting"),
        "meeting.declare_online": _("declared the meeting an online meeting"),
        "meeting.minutes": _("recorded the minutes"),
        "meeting.schedule": _("scheduled the meeting"),
        "meeting.sit_in_decide": _("decided on a sit-in request"),
        "meeting.sit_in_request": _("asked to sit in on the meeting"),
        "meeting.start": _("opened the meeting"),
        "meeting.urgent_start": _("opened the meeting before its date, as an urgent meeting"),
        "member.add": _("added a member"),
        "member.update": _("updated a member's record"),
        "organisation.create": _("created the organisation"),
        "role.assign": _("assigned a role"),
        "role.end": _("ended a role"),
        "roster.apply": _("imported the member roster"),
        "roster.export": _("exported the member roster"),
        "term.start": _("started a committee term"),
    }
)
register_links(
    {
        "branches.organisation": "branches:organisation",
        "branches.member": "branches:member",
        "branches.meeting": "branches:meeting",
    }
)
