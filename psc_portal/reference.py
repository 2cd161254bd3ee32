"""Support for reference data that administrators may correct after it is loaded."""

from django.db import models


class ReferenceData(models.Model):
    """Remembers the values last loaded from the data files.

    The loader compares each field with this snapshot: a field still equal to what was loaded
    may be refreshed from the files; a field that differs was edited by an administrator and is
    left alone (the loader reports it).
    """

    loaded_values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True
