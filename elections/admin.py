"""Admin of 公推直选: read-only views of the records; every change goes through the services."""

from django.contrib import admin

from .models import Candidacy, Election, ElectionPoll, Invitation, Objection


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Election)
class ElectionAdmin(ReadOnly):
    list_display = ["title", "organisation", "mode", "status", "committee_seats", "created_at"]
    list_filter = ["status", "mode"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]


@admin.register(Candidacy)
class CandidacyAdmin(ReadOnly):
    list_display = ["member", "election", "post", "stage", "rank"]
    list_filter = ["post", "stage"]
    list_select_related = ["member", "election"]


@admin.register(ElectionPoll)
class ElectionPollAdmin(ReadOnly):
    list_display = ["election", "poll", "post", "purpose", "round_kind", "seats"]
    list_select_related = ["election", "poll"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ["name", "election", "purpose", "created_at", "used_at"]
    exclude = ["nonce_hash"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnly):
    list_display = ["election", "candidacy", "raised_at", "answered_at", "upheld"]
