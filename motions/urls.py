from django.urls import path

from .views import evaluations, home, inquiries, motion_actions, motions, proposals, ratings, topics

app_name = "motions"

urlpatterns = [
    path("", home.home, name="home"),
    # Proposals
    path("proposals/", proposals.proposal_board, name="proposals"),
    path("proposals/export.csv", proposals.proposal_export, name="proposal_export"),
    path("proposals/new/", proposals.proposal_new, name="proposal_new"),
    path("org/<int:pk>/proposals/record/", proposals.proposal_record, name="proposal_record"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/cosign/", proposals.proposal_cosign, name="proposal_cosign"),
    path("proposals/<int:pk>/submit/", proposals.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/register/", proposals.proposal_register, name="proposal_register"),
    path("proposals/<int:pk>/decline/", proposals.proposal_decline, name="proposal_decline"),
    path("proposals/<int:pk>/forward/", proposals.proposal_forward, name="proposal_forward"),
    path("proposals/<int:pk>/assign/", proposals.proposal_assign, name="proposal_assign"),
    path("proposals/<int:pk>/progress/", proposals.proposal_progress, name="proposal_progress"),
    path("proposals/<int:pk>/answer/", proposals.proposal_answer, name="proposal_answer"),
    path("proposals/<int:pk>/extend/", proposals.proposal_extend, name="proposal_extend"),
    path("proposals/<int:pk>/rate/", proposals.proposal_rate, name="proposal_rate"),
    # Inquiries
    path("inquiries/", inquiries.inquiry_board, name="inquiries"),
    path("inquiries/export.csv", inquiries.inquiry_export, name="inquiry_export"),
    path("inquiries/new/", inquiries.inquiry_new, name="inquiry_new"),
    path("inquiries/<int:pk>/", inquiries.inquiry_detail, name="inquiry"),
    path("inquiries/<int:pk>/cosign/", inquiries.inquiry_cosign, name="inquiry_cosign"),
    path("inquiries/<int:pk>/assign/", inquiries.inquiry_assign, name="inquiry_assign"),
    path("inquiries/<int:pk>/answer/", inquiries.inquiry_answer, name="inquiry_answer"),
    path("inquiries/<int:pk>/rate/", inquiries.inquiry_rate, name="inquiry_rate"),
    path("inquiries/<int:pk>/resolve/", inquiries.inquiry_resolve, name="inquiry_resolve"),
    path(
        "inquiries/<int:pk>/confidential/", inquiries.inquiry_to_confidential, name="inquiry_to_confidential"
    ),
    path("org/<int:pk>/inquiry-days/", inquiries.inquiry_days, name="inquiry_days"),
    # The confidential channel
    path("reports/", inquiries.report_list, name="reports"),
    path("reports/export.csv", inquiries.report_export, name="report_export"),
    path("reports/new/", inquiries.report_new, name="report_new"),
    path("reports/<int:pk>/", inquiries.report_detail, name="report"),
    path("reports/<int:pk>/take-up/", inquiries.report_take_up, name="report_take_up"),
    path("reports/<int:pk>/conclude/", inquiries.report_conclude, name="report_conclude"),
    # First deliberation
    path("topics/", topics.topic_list, name="topics"),
    path("org/<int:pk>/topics/new/", topics.topic_new, name="topic_new"),
    path("topics/<int:pk>/", topics.topic_detail, name="topic"),
    path("topics/<int:pk>/review/", topics.topic_review, name="topic_review"),
    path("topics/<int:pk>/meeting/", topics.topic_meeting, name="topic_meeting"),
    path("topics/<int:pk>/notice/", topics.topic_notice, name="topic_notice"),
    path("topics/<int:pk>/groups/", topics.topic_group, name="topic_group"),
    path(
        "topics/<int:pk>/groups/<int:group_pk>/record/", topics.topic_group_record, name="topic_group_record"
    ),
    path("topics/<int:pk>/conclude/", topics.topic_conclude, name="topic_conclude"),
    path("topics/<int:pk>/survey/", topics.topic_survey, name="topic_survey"),
    # Motions voted by ballot (票决)
    path("motions/", motions.motion_list, name="motions"),
    path("motions/statistics/", motions.motion_statistics, name="motion_statistics"),
    path("org/<int:pk>/motions/new/", motions.motion_new, name="motion_new"),
    path("motions/<int:pk>/", motions.motion_detail, name="motion"),
    path("motions/<int:pk>/<slug:action>/", motion_actions.motion_action, name="motion_action"),
    path("milestones/<int:pk>/done/", motion_actions.milestone_done, name="milestone_done"),
    # Democratic evaluation
    path("evaluations/", evaluations.evaluation_list, name="evaluations"),
    path(
        "org/<int:pk>/evaluations/members/new/",
        evaluations.member_evaluation_new,
        name="member_evaluation_new",
    ),
    path("evaluations/members/<int:pk>/", evaluations.member_evaluation_detail, name="member_evaluation"),
    path(
        "evaluations/members/<int:pk>/<slug:action>/",
        evaluations.member_evaluation_action,
        name="member_evaluation_action",
    ),
    path("org/<int:pk>/evaluations/leadership/new/", evaluations.leadership_new, name="leadership_new"),
    path("evaluations/leadership/<int:pk>/", evaluations.leadership_detail, name="leadership_evaluation"),
    path(
        "evaluations/leadership/<int:pk>/<slug:action>/",
        evaluations.leadership_action,
        name="leadership_action",
    ),
    path("org/<int:pk>/evaluations/public/new/", ratings.public_rating_new, name="public_rating_new"),
    path("evaluations/public/<int:pk>/", ratings.public_rating_detail, name="public_rating"),
    path(
        "evaluations/public/<int:pk>/<slug:action>/",
        ratings.public_rating_action,
        name="public_rating_action",
    ),
    path("rate/<str:token>/", ratings.rate, name="rate"),
    path("org/<int:pk>/evaluations/two-way/new/", ratings.two_way_new, name="two_way_new"),
    path("evaluations/two-way/<int:pk>/", ratings.two_way_detail, name="two_way"),
    path("evaluations/two-way/<int:pk>/rate/", ratings.two_way_rate, name="two_way_rate"),
]
