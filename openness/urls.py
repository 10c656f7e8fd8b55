from django.urls import path
from django.views.decorators.http import require_GET

from .feeds import PublicItemsFeed
from .views import actions, boards, catalogue, items, work

app_name = "openness"

urlpatterns = [
    # Boards
    path("", boards.public_board, name="public"),
    path("feed.atom", require_GET(PublicItemsFeed()), name="feed"),
    path("board/", boards.board, name="board"),
    # Items
    path("items/<int:pk>/", items.item_detail, name="item"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/attachments/", actions.attachment_add, name="attachment_add"),
    path("items/<int:pk>/submit/", actions.item_submit, name="item_submit"),
    path("items/<int:pk>/secrecy/", actions.item_secrecy, name="item_secrecy"),
    path("items/<int:pk>/approve/", actions.item_approve, name="item_approve"),
    path("items/<int:pk>/return/", actions.item_return, name="item_return"),
    path("items/<int:pk>/correct/", actions.item_correct, name="item_correct"),
    path("items/<int:pk>/archive/", actions.item_archive, name="item_archive"),
    path("items/<int:pk>/discard/", actions.item_discard, name="item_discard"),
    path("items/<int:pk>/feedback/", actions.feedback_add, name="feedback_add"),
    path("attachments/<int:pk>/", items.attachment, name="attachment"),
    path("attachments/<int:pk>/delete/", actions.attachment_delete, name="attachment_delete"),
    path("feedback/<int:pk>/answer/", actions.feedback_answer, name="feedback_answer"),
    path("org/<int:pk>/new/", items.item_new, name="item_new"),
    # Desks
    path("manage/", work.workbench, name="manage"),
    path("review/", work.review_queue, name="review"),
    # Catalogue and compliance
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("org/<int:pk>/catalogue/new/", catalogue.entry_new, name="entry_new"),
    path("catalogue/<int:pk>/edit/", catalogue.entry_edit, name="entry_edit"),
    path("compliance/", catalogue.compliance, name="compliance"),
    path("compliance.xlsx", catalogue.compliance_export, name="compliance_export"),
]
