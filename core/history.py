"""simple-history's ``HistoricalRecords``, also right when a link is changed from its other side.

simple-history records a many-to-many change on the instance the ``m2m_changed`` signal names.
Changed from the other side (``programme.case_studies.add(case_study)``), that instance is a
programme, and simple-history tries to write it into the case-study history: a TypeError,
and the change goes unrecorded. Here each item of the tracked model whose links changed gets
its own history record, with its links as they now are, as if it had been edited.
"""

from simple_history import models as simple_history

_CLEARED = "_history_cleared_pks"


class HistoricalRecords(simple_history.HistoricalRecords):
    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        model = kwargs["model"]  # the tracked model, whose items were linked or unlinked
        if action == "pre_clear":
            linked = model._default_manager.filter(**{attr: instance}).values_list("pk", flat=True)
            setattr(instance, _CLEARED, set(linked))
            return None
        if action == "post_clear":
            pk_set = instance.__dict__.pop(_CLEARED, set())
        if action not in ("post_add", "post_remove", "post_clear") or not pk_set:
            return None
        for item in model._default_manager.filter(pk__in=pk_set).order_by("pk"):
            super().m2m_changed(item, action, attr, None, False, **kwargs)
        return None
