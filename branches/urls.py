from django.urls import path

from .views import desk, home, meetings, members, organisations, roster

app_name = "branches"

urlpatterns = [
    path("", home.home, name="home"),
    path("inbox/", home.inbox, name="inbox"),
    path("inbox/read/", home.inbox_read, name="inbox_read"),
    path("me/", members.my_record, name="me"),
    # Organisations
    path("org/", organisations.tree, name="tree"),
    path("org/<int:pk>/", organisations.organisation_detail, name="organisation"),
    path("org/<int:pk>/roles/", organisations.role_assign, name="role_assign"),
    path("roles/<int:pk>/end/", organisations.role_end, name="role_end"),
    path("org/<int:pk>/audit/", organisations.audit_log, name="audit"),
    # Members
    path("org/<int:pk>/members/", members.member_list, name="members"),
    path("org/<int:pk>/members/new/", members.member_add, name="member_add"),
    path("members/<int:pk>/", members.member_detail, name="member"),
    path("members/<int:pk>/edit/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/households/", members.household_add, name="household_add"),
    path("members/<int:pk>/liaisons/", members.liaison_add, name="liaison_add"),
    # Roster import and export
    path("org/<int:pk>/roster/import/", roster.roster_upload, name="roster_upload"),
    path("roster-imports/<int:pk>/", roster.roster_preview, name="roster_preview"),
    path("roster-imports/<int:pk>/apply/", roster.roster_apply, name="roster_apply"),
    path("org/<int:pk>/roster/export.xlsx", roster.roster_export, name="roster_export"),
    # Meetings
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("org/<int:pk>/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/qr.svg", meetings.meeting_qr, name="meeting_qr"),
    path("meetings/<int:pk>/projector/", meetings.meeting_projector, name="meeting_projector"),
    path("meetings/<int:pk>/online/", meetings.meeting_online, name="meeting_online"),
    path("meetings/<int:pk>/desk/", desk.meeting_desk, name="meeting_desk"),
    path("meetings/<int:pk>/desk/all-present/", desk.desk_all_present, name="desk_all_present"),
    path("meetings/<int:pk>/desk/<int:member_pk>/", desk.desk_mark, name="desk_mark"),
    path("meetings/<int:pk>/status/<str:action>/", meetings.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/attendance/<int:member_pk>/", meetings.attendance_set, name="attendance_set"),
    path(
        "meetings/<int:pk>/attendance/<int:member_pk>/consent/",
        meetings.exclusion_consent,
        name="exclusion_consent",
    ),
    path(
        "meetings/<int:pk>/attendance/<int:member_pk>/vote/", meetings.exclusion_vote, name="exclusion_vote"
    ),
    path("meetings/<int:pk>/minutes/", meetings.minutes_save, name="minutes"),
    path("meetings/<int:pk>/checkin/<str:token>/", meetings.checkin, name="checkin"),
    path("meetings/<int:pk>/sit-in/", meetings.sit_in_request, name="sit_in"),
    path("sit-ins/<int:pk>/decide/", meetings.sit_in_decide, name="sit_in_decide"),
]
