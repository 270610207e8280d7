from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tenancy.models import (
    ApiToken,
    Network,
    NetworkMembership,
    NetworkRole,
    School,
    StaffMember,
    Subject,
    Team,
    TeamMembership,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser", "provider_name"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "provider_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]
    list_filter = ["is_active", "is_superuser"]


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase", "local_authority"]
    search_fields = ["name", "urn"]
    list_filter = ["phase"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "career_stage", "is_cpd_lead", "is_school_admin"]
    search_fields = ["user__email", "user__full_name", "school__name"]
    raw_id_fields = ["user", "school", "mentor"]


admin.site.register(NetworkRole, raw_id_fields=["user", "network"])
admin.site.register(Team, search_fields=["name"], raw_id_fields=["school"])
admin.site.register(TeamMembership, raw_id_fields=["team", "staff"])
admin.site.register(Subject)
admin.site.register(
    ApiToken,
    list_display=["user", "name", "hint", "created_at", "revoked_at"],
    raw_id_fields=["user"],
    exclude=["key_hash"],
)
