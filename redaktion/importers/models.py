"""What an import made from which source item, so a second run finds it again."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItemQuerySet(models.QuerySet):
    def find(self, *, source: str, key: str, model, lock: bool = False):
        """``(record, obj)``: the row for the item ``key`` of ``source`` (locked for the
        caller's transaction with ``lock``) and the ``model`` object it made; either is None
        when there is none (the object may have been deleted since)."""
        rows = self.select_for_update() if lock else self
        record = rows.filter(source=source, key=key).first()
        obj = model.objects.filter(pk=record.object_id).first() if record else None
        return record, obj

    def remember(self, *, source: str, key: str, obj, checksum: str = "", record=None) -> None:
        """Notes that ``obj`` was made from the item ``key`` of ``source``: updates
        ``record`` (the row read before, when there was one), else creates the row."""
        values = {
            "content_type": ContentType.objects.get_for_model(type(obj)),
            "object_id": obj.pk,
            "checksum": checksum,
        }
        if record is None:
            self.create(source=source, key=key, **values)
        else:
            self.filter(pk=record.pk).update(**values)


class ImportedItem(models.Model):
    """One object made from one item of a source: ``source`` names the site it came from
    (a WordPress export's base URL), ``key`` the item there (``post:42``, ``author:anna``,
    ``media:2024/03/bild.jpg``). Unique per (source, key), so an interrupted or repeated run
    finds what it made instead of making it again; ``checksum`` tells whether the item
    changed since."""

    source = models.CharField(_("source"), max_length=255)
    key = models.CharField(_("key"), max_length=255)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    objects = ImportedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="unique_imported_item")
        ]

    def __str__(self):
        return f"{self.source} {self.key}"
