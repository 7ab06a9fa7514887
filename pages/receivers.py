"""What happens around signing in: the session's clock starts, two-factor sign-in is looked
up once, a form kept for someone else is dropped, and a lockout is logged."""

import logging
import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import Staff
from accounts.two_factor import has_two_factor
from pages import drafts, sessions
from pages.middleware import HAS_TWO_FACTOR

logger = logging.getLogger("navigator.sign_in")


@receiver(user_logged_in, dispatch_uid="pages.start_sign_in")
def start_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    session = request.session
    session[sessions.SIGNED_IN_AT] = session[sessions.LAST_SEEN_AT] = now
    session.pop(sessions.ENDED_BECAUSE, None)
    session[HAS_TWO_FACTOR] = has_two_factor(user)
    # A session kept short to hold typing returns to the normal rules once signed in.
    session.set_expiry(None)
    drafts.discard_unless_for(request, user)


@receiver(user_locked_out, dispatch_uid="pages.log_lockout")
def log_lockout(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    """Log the lockout by account number: what was typed as a username may be a password."""
    staff_id = Staff.objects.filter(username=username).values_list("pk", flat=True).first()
    if staff_id is None:
        logger.warning("Sign-in locked after repeated failures for a name that is no account")
    else:
        logger.warning("Sign-in locked after repeated failures for staff id %s", staff_id)
