"""Read-only views of polls for administrators. Ballots, has-voted rows and counted ballots are not
registered: the admin must not become a place where who voted and what was voted meet."""

from django.contrib import admin

from branches.admin import ReadOnlyInline

from .models import Poll, PollOption, PollResult, Scrutineer


class OptionInline(ReadOnlyInline):
    model = PollOption
    fields = ["position", "label", "member"]


class ScrutineerInline(ReadOnlyInline):
    model = Scrutineer
    fields = ["member"]


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "secrecy", "status", "round_no", "created_at"]
    list_filter = ["status", "kind", "secrecy"]
    search_fields = ["title", "meeting__title"]
    fields = [
        "meeting",
        "title",
        "kind",
        "secrecy",
        "seats",
        "allow_write_in",
        "scale",
        "rule_preset",
        "rules",
        "status",
        "round_no",
        "void_reason",
        "expected_count",
        "present_at_open",
        "present_at_close",
    ]
    readonly_fields = fields
    inlines = [OptionInline, ScrutineerInline]

    # Writes go through the services (states, audit); the admin only reads.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PollResult)
class PollResultAdmin(admin.ModelAdmin):
    list_display = [
        "poll",
        "expected",
        "present",
        "voters",
        "returned",
        "valid",
        "invalid",
        "blank",
        "counted_at",
    ]
    readonly_fields = [f.name for f in PollResult._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
