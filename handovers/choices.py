"""The vocabulary of handovers, importable without a configured Django."""

from django.db import models


class HandoverKind(models.TextChoices):
    ACCOMMODATION_MOVE = "accommodation_move", "Move to a safe house or other accommodation"
    POINT_OF_CONTACT = "point_of_contact", "Change of navigator or other point of contact"
    FORCE_TRANSFER = "force_transfer", "Transfer to another police force"
    SUPPORT_REFERRAL = "support_referral", "Referral to a support service"
    CASE_CLOSING = "case_closing", "Case closing"


class HandoverState(models.TextChoices):
    SENT = "sent", "Sent, waiting to be acknowledged"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class HandoverAction(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "Acknowledge"
    ACCEPT = "accept", "Accept"
    DECLINE = "decline", "Decline"


# Waiting for the receiver: the acknowledgement deadline runs while a handover is sent.
OPEN_STATES = (HandoverState.SENT, HandoverState.ACKNOWLEDGED)
