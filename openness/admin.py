"""The admin is for inspection and the catalogue: items move only through the services (the procedure),
so their content and status are read-only here (and the database refuses content changes after review)."""

from django.contrib import admin

from branches.admin import ReadOnlyInline

from .models import Attachment, CatalogueEntry, DisclosureItem, Feedback, Obligation, Review


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "created_at"]
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ["stage", "decision", "reviewer", "organisation", "comment", "created_at"]
    readonly_fields = fields


class FeedbackInline(ReadOnlyInline):
    model = Feedback
    fields = ["kind", "status", "author", "body", "answer", "answered_at"]
    readonly_fields = fields


@admin.register(DisclosureItem)
class DisclosureItemAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "category", "scope", "status", "version", "published_at"]
    list_filter = ["status", "scope", "category"]
    search_fields = ["title"]
    list_select_related = ["organisation"]
    inlines = [AttachmentInline, ReviewInline, FeedbackInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["range_organisations", "range_members"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "name",
        "category",
        "frequency",
        "deadline_working_days",
        "notice_working_days",
        "organisation",
        "is_active",
    ]
    list_filter = ["frequency", "category", "is_active"]
    search_fields = ["key", "name"]


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "entry", "period", "due_on", "fulfilled_on"]
    list_filter = ["entry"]
    list_select_related = ["organisation", "entry"]
    readonly_fields = ["fulfilled_by", "fulfilled_on"]
    search_fields = ["organisation__name"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["item", "kind", "status", "created_at", "answered_at"]
    list_filter = ["kind", "status"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
