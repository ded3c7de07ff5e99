"""What the editorial desk records: which group writes in which Ressort, and how punctually
the scheduler published and unpublished what editors planned."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class RessortAuthorGroup(models.Model):
    """Links a Ressort to the group ("Autor: Politik") whose members may write in it.

    The link, not the group's name, identifies the group, so renaming a Ressort renames its
    group instead of creating a second one. When the Ressort is deleted the link keeps the
    group until ``ressort_groups_prune`` removes both.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("Ressort"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    group = models.OneToOneField(
        Group,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="desk_ressort_link",
    )

    class Meta:
        verbose_name = _("Ressort author group")
        verbose_name_plural = _("Ressort author groups")

    def __str__(self):
        return self.group.name


class LatePublication(models.Model):
    """A scheduled publish or unpublish that ran late, or never ran because it expired first.

    One row per planned event: the unique constraint makes recording it twice impossible,
    however often the scheduler runs.
    """

    class Action(models.TextChoices):
        PUBLISH = "publish", _("published")
        UNPUBLISH = "unpublish", _("unpublished")
        MISSED = "missed", _("not published: expired before the scheduler ran")

    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_repr = models.CharField(_("title"), max_length=255)
    planned_at = models.DateTimeField(_("planned at"))
    executed_at = models.DateTimeField(_("executed at"), db_index=True)
    delay = models.DurationField(_("delay"))

    class Meta:
        verbose_name = _("late publication")
        verbose_name_plural = _("late publications")
        ordering = ["-executed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "action", "planned_at"],
                name="unique_late_publication",
            )
        ]

    def __str__(self):
        return f"{self.object_repr} ({self.action}, {self.delay})"


class SchedulerHeartbeat(models.Model):
    """The scheduler's last completed run: a single row, kept in the database so that it
    survives restarts and is visible to every web process."""

    SINGLETON_PK = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK)
    last_run_at = models.DateTimeField(_("last run at"))
    host = models.CharField(_("host"), max_length=255, blank=True)
    published = models.PositiveIntegerField(_("published"), default=0)
    unpublished = models.PositiveIntegerField(_("unpublished"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self):
        return f"{self.host} {self.last_run_at:%Y-%m-%d %H:%M:%S}"
