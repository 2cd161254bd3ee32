from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from redirects.models import Redirect


class RedirectResource(resources.ModelResource):
    """CSV columns: old_path, new_path, note. A row whose old_path exists updates it."""

    class Meta:
        # Each row is validated like the admin form (loops and chains refused, paths normalised).
        clean_model_instances = True
        model = Redirect
        fields = ["old_path", "new_path", "note"]
        import_id_fields = ["old_path"]
        skip_unchanged = True
        report_skipped = True


@admin.register(Redirect)
class RedirectAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [RedirectResource]
    list_display = ["old_path", "new_path", "note", "is_automatic", "updated_at"]
    list_filter = ["is_automatic"]
    search_fields = ["old_path", "new_path", "note"]
    readonly_fields = ["is_automatic", "created_at", "updated_at"]
    fields = ["old_path", "new_path", "note", "is_automatic", "created_at", "updated_at"]
