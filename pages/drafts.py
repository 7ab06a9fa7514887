"""Never lose what someone typed because their sign-in ended while they were typing.

A navigator writes a note on a phone between visits; by the time they press save, the
sign-in may have ended (30 minutes without activity). What they sent is kept on the
server, in their browser's session, and given back only to the same person once they have
signed in again (with their code, where two-factor sign-in is on), for at most
``SESSION_DRAFT_KEEP_MINUTES``. It is put back into the form for them to check and save.

Why here and not in the browser: a phone may be shared or lost. Browser storage
(localStorage, say) keeps text unencrypted on the device after signing out, where anyone
holding the phone can read it; nothing here is written to the device beyond the session
cookie, which leads nowhere without signing in again as the same person. On the server the
typing is encrypted with the keys that protect notes at rest (``navigator.encryption``),
and the session row is deleted when it expires (``pages.tasks.clear_ended_sessions_task``).
"""

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict

from navigator.encryption import DecryptionError, decrypt, encrypt

# Session key of the kept form: {"user_id", "path", "at", "fields"}, the fields
# ({name: [values]}) as JSON, encrypted.
KEPT_FORM = "navigator.kept_form"
# Never kept: the token is renewed at sign-in; the password fields must never be stored.
_NOT_KEPT = frozenset({"csrfmiddlewaretoken", "password", "old_password", "new_password1"})


def keep_seconds() -> int:
    return int(settings.SESSION_DRAFT_KEEP_MINUTES * 60)


def signed_in_keeping_typing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like ``login_required``, for a view whose form holds someone's typing: a form sent
    just as the sign-in ended is kept for its author, who is asked to sign in again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        ended = getattr(request, "sign_in_ended", None)
        if ended is not None and request.method == "POST":
            keep(request, user_id=ended.user_id)
            messages.info(
                request,
                "What you typed has been kept. Sign in again to check it and save it.",
            )
        return redirect_to_login(request.get_full_path())

    return wrapper


def keep(request: HttpRequest, *, user_id: int) -> None:
    """Keep the posted form in this browser's session for ``user_id``, for a short while."""
    fields = {name: request.POST.getlist(name) for name in request.POST if name not in _NOT_KEPT}
    request.session[KEPT_FORM] = {
        "user_id": user_id,
        "path": request.path,
        "fields": encrypt(json.dumps(fields)),
        "at": time.time(),
    }
    # The session now holds typing and nobody signed in: let it lapse soon.
    request.session.set_expiry(keep_seconds())


def take_back(request: HttpRequest) -> QueryDict | None:
    """The form kept for the signed-in person on this page, once; None if there is none."""
    kept = request.session.get(KEPT_FORM)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[KEPT_FORM]
    fresh = time.time() - kept.get("at", 0) <= keep_seconds()
    if kept.get("user_id") != request.user.pk or not fresh:
        return None
    try:
        fields = json.loads(decrypt(kept["fields"]))
    except (DecryptionError, KeyError, TypeError, ValueError):
        return None  # kept under a key since retired, or not ours: nothing to give back
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data


def discard_unless_for(request: HttpRequest, user: Any) -> None:
    """At sign-in: a form kept for someone else is dropped, never shown."""
    kept = request.session.get(KEPT_FORM)
    if kept and kept.get("user_id") != user.pk:
        del request.session[KEPT_FORM]
