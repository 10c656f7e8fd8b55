"""The admin shows proposals, inquiries and topics read-mostly; every change goes through the services.

Misconduct reports are deliberately not registered: only discipline officers read them, in the portal.
"""

from django.contrib import admin

from .models import Inquiry, InquiryDay, LeadershipEvaluation, MemberEvaluation, Motion, Proposal, Topic


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "organisation", "status", "due_on", "responsible"]
    list_filter = ["status", "channel"]
    search_fields = ["title", "content"]


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "organisation", "kind", "status", "due_on"]
    list_filter = ["kind", "status"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "organisation", "source", "status"]
    list_filter = ["status", "source"]


@admin.register(InquiryDay)
class InquiryDayAdmin(admin.ModelAdmin):
    list_display = ["date", "organisation", "receiver", "location"]
    raw_id_fields = ["organisation", "receiver"]


# Motions and evaluations: read-only too (their steps have preconditions only the services check). Ballot
# contents are never here; ratings are counts.
@admin.register(Motion)
class MotionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "organisation", "category", "status", "decided_at"]
    list_filter = ["status", "category", "four_two"]


@admin.register(MemberEvaluation)
class MemberEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "organisation", "year", "status"]


@admin.register(LeadershipEvaluation)
class LeadershipEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "organisation", "period", "status"]
