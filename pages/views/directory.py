"""Who to call: the directory of specialist roles, read by everyone signed in and kept by
each organisation's people for their own entries (administrators for all, here or in the
admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Organisation, Role
from cases import access
from directory import selectors
from directory.models import DirectoryEntry
from directory.services import FIELDS, save_entry
from navigator.errors import ValidationError
from pages.drafts import signed_in_keeping_typing, take_back
from pages.forms import DirectoryEntryForm


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.may_read_directory(user):
        raise PermissionDenied
    organisations = list(selectors.organisations_listed())
    chosen = next((o for o in organisations if o.slug == request.GET.get("organisation")), None)
    entries = selectors.entries(user, organisation_id=chosen.pk if chosen else None)
    own = user.organisation_id
    return render(
        request,
        "directory/directory.html",
        {
            "organisations": organisations,
            "chosen": chosen,
            "entries": entries,
            "may_add": own is not None and access.may_keep_directory_entry(user, own),
            "keeps": {
                e.pk for e in entries if access.may_keep_directory_entry(user, e.organisation_id)
            },
        },
    )


@signed_in_keeping_typing
def entry_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add an entry for one's own organisation, or change one of its entries."""
    user = request.user
    entry: DirectoryEntry | None = None
    if pk is not None:
        entry = DirectoryEntry.objects.select_related("organisation").filter(pk=pk).first()
        if entry is None:
            raise Http404("No such entry")
        organisation = entry.organisation
    else:
        if user.role == Role.ADMIN or user.organisation_id is None:
            # Administrators add entries for any organisation in the admin.
            raise PermissionDenied
        organisation = Organisation.objects.get(pk=user.organisation_id)
    if not access.may_keep_directory_entry(user, organisation.pk):
        raise PermissionDenied
    kept = take_back(request) if request.method == "GET" else None
    initial = {name: getattr(entry, name) for name in FIELDS} if entry else {}
    initial["is_active"] = entry.is_active if entry else True
    form = DirectoryEntryForm(request.POST if request.method == "POST" else kept, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_entry(
                acting_user=user, organisation=organisation, entry=entry, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The directory entry is saved.")
            return redirect("directory")
    elif kept is not None:
        form.is_valid()
    return render(
        request,
        "directory/entry_form.html",
        {"form": form, "entry": entry, "organisation": organisation},
    )
