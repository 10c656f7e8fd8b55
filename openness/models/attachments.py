"""Attachments of an item and the private storage they live in (never a public media URL)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from .items import DisclosureItem


class PrivateStorage(LazyObject):
    """Attachments live outside MEDIA_ROOT (which DEBUG serves at /media/): only the attachment view, after
    the scope check, ever reads them. The folder sits next to MEDIA_ROOT: `<media>-private/`."""

    def _setup(self) -> None:
        media = Path(settings.MEDIA_ROOT)
        self._wrapped = FileSystemStorage(location=media.parent / f"{media.name}-private", base_url=None)


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """A callable, so that migrations name the function, not a path of the machine that made them."""
    return private_storage


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the original name is kept in a column, never in the path.
    suffix = {
        "application/pdf": ".pdf",
        "image/png": ".png",
        "image/jpeg": ".jpg",
        "image/gif": ".gif",
        "image/webp": ".webp",
    }.get(instance.content_type, "")
    return f"openness/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A PDF or an image of an item, validated by its content; served only through the scope check."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=get_private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
