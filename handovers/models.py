from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.choices import PocRole
from handovers.choices import OPEN_STATES, HandoverKind, HandoverState
from navigator.encryption import EncryptedTextField

_NOT_ACKNOWLEDGED = Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
_ACKNOWLEDGED = Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False)
_UNDECIDED = Q(decided_at__isnull=True, decided_by__isnull=True, decline_reason="")
_DECIDED = Q(decided_at__isnull=False, decided_by__isnull=False)


class Handover(models.Model):
    """Responsibility for part of a victim's support, passed from one organisation (and
    person) to another: a move, a new point of contact, another force, a referral, a closing.

    It carries what the receiver needs to start where the sender stopped, so the victim
    never repeats their story: the reason, a summary of needs and risks, and a frozen copy
    of the communication agreement's structured terms as they were when it was sent.

    Its life: sent, acknowledged, then accepted or declined (with a reason), each with who
    and when; the constraints below keep the state and its who and when in agreement. It
    changes only through ``handovers.services``.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(max_length=32, choices=HandoverKind.choices)
    # A change of point of contact: the role handed over (from the receiver's role).
    poc_role = models.CharField(max_length=16, choices=PocRole.choices, blank=True)
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="handovers_sent"
    )
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_sent"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="handovers_received"
    )
    # Optional where an organisation receives (a safe house, a force, a support service).
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_received",
    )
    # The sender's words may name people and places: encrypted at rest, like notes.
    reason = EncryptedTextField()
    needs_and_risks = EncryptedTextField()
    # The agreement's structured terms when sent (never its free text); {} if none yet.
    agreement = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=16, choices=HandoverState.choices, default=HandoverState.SENT
    )
    sent_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Accepted or declined: when and by whom (the state says which).
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = EncryptedTextField(blank=True)
    # A change of point of contact, accepted: whether the predecessor introduced the receiver.
    introduced_by_predecessor = models.BooleanField(null=True, blank=True)
    # Carried by the page's form, so a handover sent twice (a double tap, a retry on a poor
    # signal) is recorded, and told to its receiver, once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["submission_key"])

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=HandoverKind.values), name="handover_kind_is_known"
            ),
            models.CheckConstraint(
                condition=(Q(state=HandoverState.SENT) & _NOT_ACKNOWLEDGED & _UNDECIDED)
                | (Q(state=HandoverState.ACKNOWLEDGED) & _ACKNOWLEDGED & _UNDECIDED)
                | (Q(state=HandoverState.ACCEPTED, decline_reason="") & _ACKNOWLEDGED & _DECIDED)
                | (
                    Q(state=HandoverState.DECLINED)
                    & ~Q(decline_reason="")
                    & _ACKNOWLEDGED
                    & _DECIDED
                ),
                name="handover_state_agrees_with_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=F("sent_at")),
                name="handover_acknowledged_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(decided_at__gte=F("acknowledged_at")),
                name="handover_decided_after_acknowledged",
            ),
            models.CheckConstraint(
                condition=Q(kind=HandoverKind.POINT_OF_CONTACT, to_person__isnull=False)
                & ~Q(poc_role="")
                | ~Q(kind=HandoverKind.POINT_OF_CONTACT) & Q(poc_role=""),
                name="handover_of_a_point_of_contact_names_the_role_and_person",
            ),
            models.CheckConstraint(
                condition=Q(introduced_by_predecessor__isnull=True)
                | Q(kind=HandoverKind.POINT_OF_CONTACT, state=HandoverState.ACCEPTED),
                name="handover_introduction_only_on_accepted_change_of_contact",
            ),
            # Two changes of the same point of contact waiting at once would undo each other.
            models.UniqueConstraint(
                fields=["case", "poc_role"],
                condition=Q(kind=HandoverKind.POINT_OF_CONTACT, state__in=OPEN_STATES),
                name="one_waiting_change_of_each_point_of_contact",
            ),
        ]
        indexes = [
            # The case page: a case's handovers, newest first.
            models.Index(fields=["case", "-sent_at"], name="handover_case_recent"),
            # A receiving organisation's list (API cursor and the partner page), in id order.
            models.Index(fields=["to_organisation", "id"], name="handover_to_organisation"),
            # The clock: the handovers of a batch of cases still waiting for acknowledgement.
            models.Index(
                fields=["case", "sent_at"],
                condition=Q(state=HandoverState.SENT),
                name="handover_unacknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.case} to {self.to_organisation}"

    @property
    def is_waiting(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def receiver_words(self) -> str:
        if self.to_person_id is None:
            return str(self.to_organisation)
        return f"{self.to_person} ({self.to_organisation})"
