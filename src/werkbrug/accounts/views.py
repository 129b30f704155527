"""Log-in (with TOTP for staff), log-out, password reset and the profile page."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.accounts import services
from werkbrug.accounts.forms import AwayForm, LoginForm, ProfileForm, TokenForm
from werkbrug.core.access import AUTHENTICATED
from werkbrug.core.ratelimit import rate_limited
from werkbrug.core.roles import Role
from werkbrug.core.views_base import access_rule, declared, public
from werkbrug.regions import services as region_services


def _demo_logins() -> list[dict[str, str]]:
    if not settings.DEMO:
        return []
    from werkbrug.demo.accounts import DEMO_PASSWORD, DEMO_USERS

    return [
        {"username": u.username, "role": u.label, "password": DEMO_PASSWORD} for u in DEMO_USERS
    ]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = _demo_logins()
        return context

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().preferred_language,
            samesite="Lax",
            secure=settings.HTTPS,
            httponly=True,
        )
        return response


def _login_failed(response: HttpResponse) -> bool:
    """A log-in post that did not log in (the form again, or axes' lock-out page)."""
    return response.status_code != 302


def _reset_link_failed(response: HttpResponse) -> bool:
    """A password-reset link Django did not accept (``validlink`` false on the page)."""
    context = getattr(response, "context_data", None) or {}
    return response.status_code == 200 and context.get("validlink") is False


# Per client address on top of axes (which locks a user name per address): also a run of
# guesses over many user names, and the reset mails one address may ask for.
login_view = public(
    rate_limited("login", methods={"POST"}, failed=_login_failed)(LoginView.as_view())
)


@require_POST
def _logout(request: HttpRequest) -> HttpResponse:
    return auth_views.LogoutView.as_view()(request)


logout_view = public(_logout)


@access_rule(AUTHENTICATED)
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of the log-in: the code from the authenticator app."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(request.GET.get("next") or "home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:setup_2fa")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many wrong codes. Wait a minute and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect("home")
        else:
            form.add_error("token", _("This code is not correct or has expired. Try the new code."))
    return render(request, "accounts/verify.html", {"form": form})


@access_rule(AUTHENTICATED)
def setup_two_factor(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code, then confirm with one code."""
    user = request.user
    if request.method == "POST":
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        form = TokenForm(request.POST)
        if device is None:
            return redirect("accounts:setup_2fa")
        allowed, _info = device.verify_is_allowed()
        if form.is_valid() and not allowed:
            form.add_error("token", _("Too many wrong codes. Wait a minute and try again."))
        elif form.is_valid():
            if services.confirm_totp_device(device=device, token=form.cleaned_data["token"]):
                otp_login(request, device)
                messages.success(request, _("Two-factor authentication is on."))
                return redirect("home")
            form.add_error("token", _("This code is not correct. Check the time on your phone."))
    else:
        device = services.start_totp_setup(user=user)  # type: ignore[arg-type]
        form = TokenForm()
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, dark="#1a1a1a", light="#ffffff", omitsize=False)
    secret_b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/setup_2fa.html",
        {"form": form, "qr_svg": mark_safe(svg), "secret": secret_b32},  # noqa: S308 - generated by segno
    )


@access_rule(AUTHENTICATED)
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    actor = request.actor  # type: ignore[attr-defined]
    staff = getattr(user, "staff", None)
    profile_form = ProfileForm(
        request.POST if request.POST.get("form") == "profile" else None,
        initial={"email": user.email, "preferred_language": user.preferred_language},  # type: ignore[union-attr]
    )
    away_form = AwayForm(
        request.POST if request.POST.get("form") == "away" else None,
        initial={"away_from": staff.away_from, "away_until": staff.away_until} if staff else {},
    )
    if request.method == "POST":
        if request.POST.get("form") == "profile" and profile_form.is_valid():
            services.update_profile(user=user, **profile_form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("Your profile has been saved."))
            response = redirect("accounts:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                profile_form.cleaned_data["preferred_language"],
                samesite="Lax",
                secure=settings.HTTPS,
                httponly=True,
            )
            return response
        if request.POST.get("form") == "away" and staff and away_form.is_valid():
            region_services.set_away(actor=actor, staff=staff, **away_form.cleaned_data)
            messages.success(request, _("Your absence has been saved."))
            return redirect("accounts:profile")
    role_labels = dict(Role.choices)
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_form": profile_form,
            "away_form": away_form,
            "staff": staff,
            "roles": [role_labels[r] for r in sorted(actor.roles)],
            "has_2fa": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        },
    )


password_reset = public(
    rate_limited("password_reset", methods={"POST"})(
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        )
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(
    rate_limited("password_reset_link", failed=_reset_link_failed)(
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        )
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
password_change = declared(
    AUTHENTICATED,
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:profile"),
    ),
)
