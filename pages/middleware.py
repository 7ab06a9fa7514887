"""Headers on every page, and the gates a request passes before any page: the sign-in's
time limits and two-factor sign-in."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.two_factor import has_two_factor
from pages import sessions

Handler = Callable[[HttpRequest], HttpResponseBase]
# Session key: whether the person signed in on this session must give a code.
HAS_TWO_FACTOR = "navigator.has_two_factor"


class NoStoreMiddleware:
    """Nothing a view answers is kept by the browser or a proxy: pages and the API carry
    victims' details, and a shared phone's back button must not bring them back after
    signing out. Static files are answered before this (whitenoise) and stay cacheable."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        add_never_cache_headers(response)
        # Nothing here needs the camera, microphone or location.
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


def limits() -> sessions.Limits:
    return sessions.Limits(
        idle_seconds=settings.SESSION_IDLE_MINUTES * 60,
        max_age_seconds=settings.SESSION_MAX_AGE,
    )


@dataclass(frozen=True)
class SignInEnded:
    """Set on the request whose sign-in this middleware has just ended."""

    user_id: int
    why: sessions.Ending


class SessionTimeoutMiddleware:
    """End a sign-in after inactivity, or at its maximum age however active.

    The request that finds the sign-in over goes on signed out, with
    ``request.sign_in_ended`` set, so a form sent at that moment can be kept for its author
    (``pages.drafts``) rather than lost. A partial (htmx) request is told to load the
    sign-in page rather than have it swapped into the page.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated:
            self._check(request, user)
        response = self.get_response(request)
        if getattr(request, "htmx", False) and _is_sign_in_redirect(response):
            return HttpResponseClientRedirect(response["Location"])
        return response

    def _check(self, request: HttpRequest, user: Any) -> None:
        session = request.session
        now = time.time()
        signed_in_at = session.get(sessions.SIGNED_IN_AT)
        last_seen_at = session.get(sessions.LAST_SEEN_AT)
        if signed_in_at is None or last_seen_at is None:
            # Signed in some other way (or before these limits): count from now.
            session[sessions.SIGNED_IN_AT] = session[sessions.LAST_SEEN_AT] = now
            return
        why = sessions.ending(
            signed_in_at=signed_in_at, last_seen_at=last_seen_at, now=now, limits=limits()
        )
        if why is None:
            if sessions.worth_recording(last_seen_at=last_seen_at, now=now):
                session[sessions.LAST_SEEN_AT] = now
            return
        request.sign_in_ended = SignInEnded(user_id=user.pk, why=why)  # type: ignore[attr-defined]
        logout(request)
        request.session[sessions.ENDED_BECAUSE] = str(why)


def _is_sign_in_redirect(response: HttpResponseBase) -> bool:
    return response.status_code == 302 and response.get("Location", "").startswith(
        reverse(settings.LOGIN_URL)
    )


def signing_in(view: Any) -> Any:
    """Mark a view that a person reaches before giving their code: the sign-in pages."""
    view.before_two_factor = True
    return view


class TwoFactorMiddleware:
    """A signed-in person who has two-factor sign-in gives a code before anything else; with
    ``REQUIRE_TWO_FACTOR`` on, someone who has not set it up does that first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.two_factor_step = self._step(request)  # type: ignore[attr-defined]
        return self.get_response(request)

    @staticmethod
    def _step(request: HttpRequest) -> str:
        """ "" when the person may go on; else the name of the page they must go through."""
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return ""
        session = request.session
        if HAS_TWO_FACTOR not in session:
            session[HAS_TWO_FACTOR] = has_two_factor(user)
        if session[HAS_TWO_FACTOR]:
            return "two-factor-code"
        if settings.REQUIRE_TWO_FACTOR:
            return "two-factor-set-up"
        return ""

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        step = getattr(request, "two_factor_step", "")
        if not step or getattr(view, "before_two_factor", False):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Finish signing in with your two-factor code first."}, status=403
            )
        target = f"{reverse(step)}?next={quote(request.get_full_path())}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        response: HttpResponse = redirect(target)
        return response
