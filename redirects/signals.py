"""A published item whose slug changes keeps its old address: a redirect row is written from
the old page to the new one (connected to every Publishable model with a slug in apps.py)."""

from django.db import transaction

from redirects.models import Redirect

AUTOMATIC_NOTE = "Automatic: the {noun}’s web address changed."


def remember_old_address(sender, instance, raw=False, **kwargs):
    """pre_save: note the old public address when a published item's slug is changing."""
    instance._redirect_from = None
    if raw or instance.pk is None:
        return
    stored = (
        sender._default_manager.filter(pk=instance.pk)
        .only("slug", "status", "publish_from")
        .first()
    )
    if stored is None or stored.slug == instance.slug or not stored.is_public:
        return
    instance._redirect_from = stored.get_absolute_url()


def write_redirect(sender, instance, raw=False, **kwargs):
    """post_save: old address → new address, without chains (earlier rows move along)."""
    old = getattr(instance, "_redirect_from", None)
    if raw or not old:
        return
    new = instance.get_absolute_url()
    instance._redirect_from = None
    with transaction.atomic():
        Redirect.objects.filter(old_path=new).delete()  # the page lives there again
        Redirect.objects.filter(new_path=old).update(new_path=new)
        Redirect.objects.update_or_create(
            old_path=old,
            defaults={
                "new_path": new,
                "is_automatic": True,
                "note": AUTOMATIC_NOTE.format(noun=sender._meta.verbose_name),
            },
        )
