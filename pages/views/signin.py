"""Signing in and out, two-factor sign-in, and resetting a forgotten password."""

from base64 import b32encode
from typing import Any
from urllib.parse import quote

from axes.utils import reset as unlock_sign_in
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import two_factor
from navigator.errors import ValidationError
from pages import sessions
from pages.forms import ChangePasswordForm, CodeForm, SignInForm
from pages.middleware import HAS_TWO_FACTOR, limits, signing_in
from pages.navigation import home_for
from pages.qr import qr_svg


def _next(request: HttpRequest) -> str:
    """Where to go once signed in: the page asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ended = self.request.session.get(sessions.ENDED_BECAUSE)
        if ended:
            context["ended"] = sessions.ending_words(ended, limits())
        return context


sign_in = signing_in(SignInView.as_view())
sign_out = signing_in(auth_views.LogoutView.as_view())


@signing_in
@login_required
def two_factor_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    # Read again rather than trust the session: an administrator may have removed the
    # person's devices (a lost phone) since they signed in.
    request.session[HAS_TWO_FACTOR] = two_factor.has_two_factor(user)
    if not request.session[HAS_TWO_FACTOR]:
        return redirect(f"{reverse('two-factor-set-up')}?next={quote(_next(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.throttled(user=user):
            form.add_error("code", "Too many wrong codes. Wait a minute, then try again.")
        elif device := two_factor.verify_code(user=user, code=form.cleaned_data["code"]):
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next(request))
        else:
            form.add_error(
                "code",
                "That code did not work. Enter the 6 digits the app shows now, "
                "or a recovery code you have not used.",
            )
    return render(
        request, "registration/two_factor_code.html", {"form": form, "next": _next(request)}
    )


@signing_in
@login_required
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code, type one code back, keep the recovery codes."""
    user = request.user
    if request.session.get(HAS_TWO_FACTOR) and not user.is_verified():
        return redirect(f"{reverse('two-factor-code')}?next={quote(_next(request))}")
    try:
        device = two_factor.start_set_up(user=user)
    except ValidationError:
        messages.info(request, "Two-factor sign-in is already set up.")
        return redirect("account")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.confirm_set_up(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.message_dict.get("code", error.messages))
        else:
            otp_login(request, device)
            request.session[HAS_TWO_FACTOR] = True
            update_session_auth_hash(request, user)  # a new key; the other sessions end
            return _recovery_codes(request, codes, first_time=True)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "account/two_factor_set_up.html",
        {
            "form": form,
            "qr": qr_svg(device.config_url, label="QR code to scan with your authenticator app"),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": _next(request),
            "required": settings.REQUIRE_TWO_FACTOR,
        },
    )


def _recovery_codes(request: HttpRequest, codes: list[str], *, first_time: bool) -> HttpResponse:
    """Shown once, in the answer to the form that made them: never stored anywhere else."""
    return render(
        request,
        "account/recovery_codes.html",
        {
            "codes": [f"{code[:4]} {code[4:]}" for code in codes],
            "first_time": first_time,
            "next": _next(request),
        },
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "account/account.html",
        {
            "has_two_factor": request.session.get(HAS_TWO_FACTOR, False),
            "required": settings.REQUIRE_TWO_FACTOR,
            "home": home_for(request.user.role),
        },
    )


@login_required
@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = two_factor.replace_recovery_codes(user=request.user)
    except ValidationError:
        return redirect("two-factor-set-up")
    update_session_auth_hash(request, request.user)
    return _recovery_codes(request, codes, first_time=False)


@login_required
@require_POST
def turn_off_two_factor(request: HttpRequest) -> HttpResponseBase:
    if settings.REQUIRE_TWO_FACTOR:
        raise PermissionDenied
    two_factor.turn_off(user=request.user)
    update_session_auth_hash(request, request.user)
    request.session[HAS_TWO_FACTOR] = False
    messages.success(request, "Two-factor sign-in is off. You sign in with your password alone.")
    return redirect("account")


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password also lifts a lockout: the person has proved who they are."""

    template_name = "registration/reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        unlock_sign_in(username=form.user.get_username())
        return response


password_reset = signing_in(
    auth_views.PasswordResetView.as_view(
        template_name="registration/reset_request.html",
        email_template_name="registration/reset_email.txt",
        subject_template_name="registration/reset_subject.txt",
        success_url=reverse_lazy("password-reset-sent"),
        # The link points where every email of ours does, not at whatever host was asked.
        extra_email_context={"site_url": settings.SITE_URL},
    )
)
password_reset_sent = signing_in(
    auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_sent.html")
)
password_reset_confirm = signing_in(ResetConfirmView.as_view())
password_reset_complete = signing_in(
    auth_views.PasswordResetCompleteView.as_view(template_name="registration/reset_complete.html")
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="account/password_change.html",
    form_class=ChangePasswordForm,
    success_url=reverse_lazy("password-changed"),
)
password_changed = auth_views.PasswordChangeDoneView.as_view(
    template_name="account/password_changed.html"
)
