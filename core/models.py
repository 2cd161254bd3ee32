"""Abstract models shared by the content apps."""

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


class Vocabulary(ReferenceData):
    """A small controlled list (themes, topics, care settings) that classifies content."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, help_text="Public.")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
