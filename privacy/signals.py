"""What privacy tells the apps built on it, which it must not import."""

from django.dispatch import Signal

# Sent inside the anonymising transaction, before the case loses its references
# (``case`` is the locked case). A receiver that keeps something derived from them
# (the engagement report's side-by-side count) settles it here, in the same transaction.
case_anonymising = Signal()
