from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contacts.choices import Channel, LevelOfDetail
from explainers.choices import Topic


class Explainer(models.Model):
    """A short, plain explainer of one stage or event a victim meets (its topic).

    What it says lives in its versions, one per language and level of detail, each
    revised by adding a revision and approved by an administrator before anyone sees it.
    """

    topic = models.CharField(max_length=32, choices=Topic.choices, unique=True)
    # For the admin and the staff's pages; each version carries its own title.
    title = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["topic"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__in=Topic.values), name="explainer_topic_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ExplainerVersionQuerySet(models.QuerySet["ExplainerVersion"]):
    def approved(self) -> "ExplainerVersionQuerySet":
        return self.filter(approved_at__isnull=False)


class ExplainerVersion(models.Model):
    """What an explainer says in one language at one level of detail, as one revision.

    Approved versions are never rewritten (the admin makes them read-only): a change is a
    new revision, so a record of who was prepared with which version still shows the words
    they heard.
    """

    explainer = models.ForeignKey(Explainer, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(max_length=100, help_text="As victims' languages are recorded")
    level = models.CharField(max_length=32, choices=LevelOfDetail.choices)
    revision = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    # Plain paragraphs separated by a blank line; a line starting "- " is a list item.
    body = models.TextField()
    # A sample not yet translated by a professional: shown with a visible warning.
    needs_professional_translation = models.BooleanField(default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    review_by = models.DateField(help_text="When someone must read it again to check it")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = ExplainerVersionQuerySet.as_manager()

    class Meta:
        ordering = ["explainer", "language", "level", "-revision"]
        constraints = [
            models.UniqueConstraint(
                "explainer",
                Lower("language"),
                "level",
                "revision",
                name="explainer_version_revision_unique",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="explainer_version_approved_by_someone_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(level__in=LevelOfDetail.values), name="explainer_version_level_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.explainer} ({self.language}, {self.get_level_display()}, r{self.revision})"

    @property
    def blocks(self) -> list[tuple[str, list[str]]]:
        """The body as ("p", [text]) and ("ul", [items]) blocks, for the templates."""
        blocks: list[tuple[str, list[str]]] = []
        for line in self.body.replace("\r\n", "\n").split("\n"):
            text = line.strip()
            if not text:
                blocks.append(("", []))  # a blank line ends a paragraph or a list
                continue
            kind, text = ("ul", text[2:]) if text.startswith("- ") else ("p", text)
            if blocks and blocks[-1][0] == kind:
                if kind == "ul":
                    blocks[-1][1].append(text)
                else:
                    blocks[-1][1][0] += " " + text
            else:
                blocks.append((kind, [text]))
        return [block for block in blocks if block[0]]
        return blocks


class Preparation(models.Model):
    """A navigator went through an explainer with the victim before an event: who, when,
    how, and which version. It is what marks the event's victim as prepared."""

    event = models.ForeignKey(
        "cases.CaseEvent", on_delete=models.CASCADE, related_name="preparations"
    )
    version = models.ForeignKey(
        ExplainerVersion, on_delete=models.PROTECT, related_name="preparations"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # When they went through it with the victim (recorded_at is when it was written down).
    at = models.DateTimeField()
    channel = models.CharField(max_length=32, choices=Channel.choices)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at"]
        indexes = [
            # The case page and the partner's page: the newest preparation for each event.
            models.Index(fields=["event", "-at"], name="preparation_event_newest"),
        ]

    def __str__(self) -> str:
        return f"Prepared for {self.event} with {self.version}"
