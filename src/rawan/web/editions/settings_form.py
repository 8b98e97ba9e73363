"""Province administrator: edit the settings of an edition not yet published (title, source text
in Indonesian and English, collection window, previous edition).  Model, level and scope are fixed at creation: the entered data
depends on them.  Published and archived editions are frozen (corrections: "Mulai koreksi")."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import collection_open, edition_for, require_admin
from .create import LEVELS, EditionForm
from .locking import lock_exclusive
from .models import Edition, Status

EDITABLE = (Status.DRAFT, Status.COLLECTING, Status.VERIFYING)
TEXT_FIELDS = ("title", "title_en", "source", "source_en", "window_start", "window_end")
FIXED = ("model", "model_file", "level", "scope")  # fixed at creation
FIELDS = ("title", "title_en", "source", "source_en", "window_start", "window_end", "previous", "reference")


class EditionSettingsForm(EditionForm):
    """The creation form (same fields, same validation) without the fields fixed at creation."""

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIXED:
            del self.fields[name]
        self.edition = edition
        self.fields["previous"].choices = [(v, label) for v, label in self.fields["previous"].choices
                                           if v != edition.slug]
        self.fields["reference"].choices = [(v, label) for v, label in self.fields["reference"].choices
                                            if v != edition.slug]

    def clean_reference(self):
        slug = self.cleaned_data.get("reference") or ""
        ref = Edition.objects.filter(slug=slug).first() if slug else None
        if ref is not None and (ref.model_sha256 != self.edition.model_sha256 or ref.level != self.edition.level):
            raise forms.ValidationError(_("The reference edition must use the same model and level."))
        return slug

    def clean_previous(self):
        slug = self.cleaned_data.get("previous") or ""
        ed = Edition.objects.filter(slug=slug).first() if slug else None
        seen = set()
        while ed is not None and ed.pk not in seen:  # no loop: A compared with B compared with A
            if ed.pk == self.edition.pk:
                raise forms.ValidationError(_("An edition cannot be compared with itself or a later edition of its own."))
            seen.add(ed.pk)
            ed = ed.previous
        return slug


def _current(edition: Edition) -> dict:
    return {"title": edition.title, "title_en": edition.title_en, "source": edition.source,
            "source_en": edition.source_en, "window_start": edition.window_start,
            "window_end": edition.window_end, "previous": edition.previous.slug if edition.previous_id else "",
            "reference": edition.reference.slug if edition.reference_id else ""}


@login_required
def edition_settings(request, slug):
    require_admin(request.user)
    edition = edition_for(request.user, slug)
    frozen = edition.status not in EDITABLE
    form = None
    status = 200
    if frozen:
        if request.method == "POST":
            status = 403
    else:
        old = _current(edition)
        form = EditionSettingsForm(request.POST or None, initial=old, user=request.user, edition=edition)
        if request.method == "POST":
            if form.is_valid():
                new = {k: form.cleaned_data[k] for k in FIELDS}
                changed = {k: [_plain(old[k]), _plain(new[k])] for k in FIELDS if old[k] != new[k]}
                if changed:
                    with transaction.atomic():
                        lock_exclusive(edition.pk)  # the window: saves in flight finish, new ones see it
                        for k in TEXT_FIELDS:
                            setattr(edition, k, new[k])
                        edition.previous = Edition.objects.filter(slug=new["previous"]).first() if new["previous"] else None
                        edition.reference = Edition.objects.filter(slug=new["reference"]).first() if new["reference"] else None
                        edition.save(update_fields=[*TEXT_FIELDS, "previous", "reference"])
                        edition.log_action("rawan.edition.settings", user=request.user,
                                           data={"old": {k: v[0] for k, v in changed.items()},
                                                 "new": {k: v[1] for k, v in changed.items()}})
                    messages.success(request, _("Edition settings saved."))
                    if edition.status == Status.COLLECTING and not collection_open(edition):
                        messages.warning(request, _("Today is outside the collection window: operators cannot "
                                                    "enter or upload data until it is changed."))
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("manage", slug=edition.slug)
            status = 400
    return render(request, "rawan/edition_settings.html", {"edition": edition, "form": form, "frozen": frozen,
                                                          "synthetic": edition.synthetic,
                                                          "level": dict(LEVELS).get(edition.level, edition.level)},
                  status=status)


def _plain(v):
    return v.isoformat() if hasattr(v, "isoformat") else v
