from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AuditLog, CommitteeTerm, Meeting, Member, Organisation, Role, User


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
