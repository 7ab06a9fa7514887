from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from cases.choices import PARTNER_ORGANISATION_KINDS, OrganisationKind


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # How commands and URLs name the organisation (``partner_key create --org haven``).
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Short name for commands; made from the name if left empty",
    )
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:60]
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    NAVIGATOR = "navigator", "Navigator"
    OFFICER = "officer", "Police officer"
    SUPERVISOR = "supervisor", "Supervisor"
    PARTNER_CASEWORKER = "partner_caseworker", "Partner caseworker"
    ADMIN = "admin", "Administrator"


class StaffManager(UserManager["Staff"]):
    def create_superuser(  # type: ignore[override]
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "Staff":
        # createsuperuser knows nothing of roles; a superuser is an administrator.
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class Staff(AbstractUser):
    """A person who signs in. Each has exactly one role; what they may see follows from it."""

    role = models.CharField(max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    # A navigator's supervisor; a supervisor's team is the navigators pointing here.
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team",
        limit_choices_to={"role": Role.SUPERVISOR},
    )
    languages = models.JSONField(default=list, blank=True, help_text="Languages spoken")
    caseload_capacity = models.PositiveSmallIntegerField(
        default=0, help_text="How many cases a navigator can hold at once"
    )
    # The account an organisation's API keys act as (partners.services.issue_key), so
    # the access rules, the services and history treat a key like the organisation's
    # caseworker. It has no usable password and cannot sign in.
    is_service_account = models.BooleanField(default=False, editable=False)
    # A partner caseworker who manages their organisation's API keys and webhook endpoints
    # in the pages (cases.access.is_partner_administrator).
    is_partner_administrator = models.BooleanField(
        "partner administrator",
        default=False,
        help_text="Manages the organisation's API keys and webhook endpoints. Only for "
        "partner caseworkers of a partner organisation.",
    )
    # Raised when the way the person signs in changes (two-factor set up, turned off, new
    # recovery codes): it is part of every session's check, so their other sessions end.
    sign_in_generation = models.PositiveIntegerField(default=0, editable=False)
    # A sign-in is not a change to the person's record.
    history = HistoricalRecords(excluded_fields=["last_login"])

    objects = StaffManager()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django checks every request's session against this hash, made from the password
        # (so a new password ends other sessions); the generation makes a change of second
        # factor do the same. Generation 0 gives Django's own hash, so sessions made before
        # the generation existed stay valid.
        if not self.sign_in_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "accounts.Staff.session_auth_hash",
            f"{self.password}#{self.sign_in_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    class Meta:
        verbose_name = "member of staff"
        verbose_name_plural = "staff"
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN) | Q(organisation__isnull=False),
                name="staff_needs_organisation_unless_admin",
            ),
            models.CheckConstraint(
                condition=Q(supervisor__isnull=True) | Q(role=Role.NAVIGATOR),
                name="only_navigators_have_a_supervisor",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="staff_role_is_known"),
            models.CheckConstraint(
                condition=Q(is_service_account=False)
                | Q(role=Role.PARTNER_CASEWORKER, is_staff=False, is_superuser=False),
                name="service_account_is_a_partner_without_admin_rights",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_service_account=True),
                name="one_service_account_per_organisation",
            ),
            # The organisation's kind is in another table: triggers check it (migration
            # 0007_partner_administrators), and clean() says so in words in the admin.
            models.CheckConstraint(
                condition=Q(is_partner_administrator=False)
                | Q(
                    role=Role.PARTNER_CASEWORKER,
                    organisation__isnull=False,
                    is_service_account=False,
                ),
                name="only_partner_caseworkers_administer_partners",
            ),
        ]

    # For the length of one API request: the visible prefix of the key it was made
    # with (set by partners.api.authentication), for the access log and history.
    api_key_prefix: str = ""

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.is_partner_administrator and not (
            self.role == Role.PARTNER_CASEWORKER
            and self.organisation is not None
            and self.organisation.kind in PARTNER_ORGANISATION_KINDS
            and not self.is_service_account
        ):
            raise ValidationError(
                {
                    "is_partner_administrator": "Only a partner caseworker of a partner "
                    "organisation (a support NGO or other partner) can be its administrator."
                }
            )
