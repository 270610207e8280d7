from django.contrib import admin

from history.models import HistoryEntry


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "subject_type", "subject_id", "school_id"]
    list_filter = ["action", "subject_type"]
    search_fields = ["subject_id", "note"]
    readonly_fields = [f.name for f in HistoryEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
