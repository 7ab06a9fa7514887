"""Find a case: one box for a crime, NRM, case or victim reference. The term is posted, never
put in a URL; a case found opens its page (scoped and access-logged there); nothing found and
out of reach answer alike."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases import access
from pages.lookup import MISS_WINDOW_SECONDS, normalise_reference, too_many_misses


class LookupForm(forms.Form):
    term = forms.CharField(
        label="Reference",
        max_length=64,
        help_text="A crime reference, NRM reference, case reference or victim reference.",
        error_messages={"required": "Enter a reference"},
    )


def _misses_key(user_id: int) -> str:
    return f"lookup-misses:{user_id}"


def _misses(user_id: int) -> int:
    # A cache that is down must not stop a lookup: the limit then fails open.
    try:
        return int(cache.get(_misses_key(user_id), 0))
    except Exception:
        return 0


def _count_miss(user_id: int) -> None:
    try:
        key = _misses_key(user_id)
        if not cache.add(key, 1, MISS_WINDOW_SECONDS):
            cache.incr(key)
    except Exception:
        return


@login_required
def case_lookup(request: HttpRequest) -> HttpResponse:
    # For staff: a partner finding its case by crime or NRM reference would learn what its
    # share does not give.
    if not access.may_see_case_work(request.user.role):
        raise PermissionDenied
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        if too_many_misses(_misses(user.pk)):
            form.add_error("term", "Too many references not found. Try again in 15 minutes.")
        else:
            term = normalise_reference(form.cleaned_data["term"])
            match = (
                Q(reference__iexact=term)
                | Q(crime_reference__iexact=term)
                | Q(nrm_reference__iexact=term)
                | Q(victim__reference__iexact=term)
            )
            found = list(
                access.visible_cases(user).filter(match).values_list("reference", flat=True)[:2]
            )
            if len(found) == 1:
                return redirect("case-detail", found[0])
            _count_miss(user.pk)
            form.add_error(
                "term",
                "No case you can see has that reference. Check it and try again."
                if not found
                else "More than one case has that reference. Use the case reference.",
            )
    return render(request, "pages/lookup.html", {"form": form})
