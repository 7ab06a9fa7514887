from django.db import models


class AlertKind(models.TextChoices):
    UPDATE_DUE = "update_due", "Update due soon"
    UPDATE_OVERDUE = "update_overdue", "Update overdue"
    KEY_DECISION_NOT_TOLD = "key_decision_not_told", "Key decision not told"
    AGREEMENT_BROKEN = "agreement_broken", "Agreement broken"
    AGREEMENT_REVIEW_DUE = "agreement_review_due", "Agreement review due"
    DISENGAGEMENT = "disengagement", "Signs of disengagement"
    PROMISE_OVERDUE = "promise_overdue", "Promise overdue"
    PARTNER_REPORT = "partner_report", "Report from a partner"
    HANDOVER_UNACKNOWLEDGED = "handover_unacknowledged", "Handover not acknowledged"
    HANDOVER_DECLINED = "handover_declined", "Handover declined"
    WEBHOOK_FAILED = "webhook_failed", "A partner's webhook failed"


class Severity(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"
    CLEARED = "cleared", "Resolved by itself"


LIVE_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
