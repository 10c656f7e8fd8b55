from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AuditLog, CommitteeTerm, Meeting, Member, Organisation, Role, User


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent for reading only: the records of a vote or a disclosure are not edited
    in the admin (every app's admin uses it)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class ZhibuUserAdmin(UserAdmin):
    pass


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit_type", "parent"]
    list_filter = ["kind", "unit_type"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "category", "standing"]
    list_filter = ["category", "standing", "migrant", "lost_contact"]
    search_fields = ["name", "name_pinyin", "phone"]
    exclude = ["id_number"]  # the admin list is no place for full ID numbers
    raw_id_fields = ["user", "organisation", "group"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["member", "organisation", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    raw_id_fields = ["member", "organisation"]


admin.site.register(CommitteeTerm)
admin.site.register(Meeting)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "object_repr", "organisation"]
    list_filter = ["verb"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Working-day calendar and reminders (branches.workdays, branches.reminders) --------------------------

from .models import CalendarSource, Digest, Holiday, HolidayYear, Reminder  # noqa: E402


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 3
    fields = ["date", "kind", "name"]


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """Administrators enter each new year's official schedule here (holidays and adjusted working days)."""

    list_display = ["year", "source", "notes"]
    inlines = [HolidayInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A year edited by hand is the administrators' from now on: refreshing from the package skips it.
        if any(fs.has_changed() for fs in formsets) and form.instance.source != CalendarSource.ADMIN:
            HolidayYear.objects.filter(pk=form.instance.pk).update(source=CalendarSource.ADMIN)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["due_at", "kind", "subject", "status", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject"]
    readonly_fields = ["content_type", "object_id", "sent_at", "created_at"]
    raw_id_fields = ["recipients", "organisation"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["day", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["recipient"]
