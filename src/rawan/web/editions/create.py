"""Province administrator: a new edition (model frozen from a shipped or uploaded file)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _, gettext_lazy as _l

from ...engine import RawanError
from ...engine.spec import resolve_model_path, shipped_models
from ..access import require_admin, visible_editions
from .dashboard import lang
from .models import Edition
from .services import freeze_model

LEVELS = [("kabupaten_kota", _l("Kab/kota of the province")), ("kecamatan", _l("Kecamatan of one kab/kota")),
          ("desa_kelurahan", _l("Desa/kelurahan of one kecamatan (or of one kab/kota)"))]


class EditionForm(forms.Form):
    title = forms.CharField(label=_l("Title"), max_length=300, widget=forms.TextInput(attrs={"class": "wide"}))
    title_en = forms.CharField(label=_l("Title in English"), max_length=300, required=False,
                               widget=forms.TextInput(attrs={"class": "wide"}))
    source = forms.CharField(label=_l("Source of the figures"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "wide"}),
                             help_text=_l("Who published the data or the figures, when, and where (Indonesian)."))
    source_en = forms.CharField(label=_l("Source of the figures in English"), max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2, "class": "wide"}),
                                help_text=_l("The same in English; when empty, English pages show the Indonesian "
                                             "text and say so."))
    model = forms.ChoiceField(label=_l("Methodology (model)"), required=False)
    model_file = forms.FileField(label=_l("…or upload a model file (YAML)"), required=False)
    level = forms.ChoiceField(label=_l("Level"), choices=LEVELS)
    scope = forms.CharField(label=_l("Scope (region code)"), initial="15", max_length=20,
                            help_text=_l("15 for the kab/kota of Jambi; a kab/kota code such as 15.01 for its kecamatan; "
                                         "a kecamatan code such as 15.01.01 (or a kab/kota code) for its desa/kelurahan."))
    window_start = forms.DateField(label=_l("Collection starts"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    window_end = forms.DateField(label=_l("Collection ends"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    previous = forms.ChoiceField(label=_l("Previous edition (for comparison)"), required=False)
    reference = forms.ChoiceField(
        label=_l("Reference for scores and classes"), required=False,
        help_text=_l("Empty: the model's own constants (goalposts, fixed cut-offs). Or an edition with the same "
                     "model and level, e.g. the province-wide one: this edition's regions are then scored and "
                     "classed exactly as there."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "—")] + [(m, m) for m in sorted(shipped_models())]
        self.fields["previous"].choices = [("", "—")] + [(e.slug, e.title_in(lang())) for e in visible_editions(user)]
        self.fields["reference"].choices = [("", "—")] + [
            (e.slug, e.title_in(lang())) for e in visible_editions(user).filter(results_only=False).exclude(model_yaml="")]

    def clean(self):
        data = super().clean()
        if "model" in self.fields and not data.get("model") and not data.get("model_file"):
            raise forms.ValidationError(_("Choose a shipped model or upload a model file."))
        if data.get("model_file") and len(data["model_file"].name) > 80:
            self.add_error("model_file", _("The file name is too long: at most 80 characters."))
        if data.get("window_start") and data.get("window_end") and data["window_end"] < data["window_start"]:
            self.add_error("window_end", _("The collection cannot end before it starts."))
        return data


def _scope_regions(level: str, scope: str) -> list[list[str]]:
    from ...demo import JAMBI_KABKOTA
    from ...regions import RegionError, load_regions

    try:  # the default list of the scope's province (rawan.regions.defaults): any province can be chosen
        regions = load_regions(province=scope.split(".")[0] if scope else None)
        units = regions.at_level(level, parent=scope)
        return [[r.code, r.name] for r in units]
    except RegionError:
        if level == "kabupaten_kota" and scope == "15":
            return [[c, n] for c, n in JAMBI_KABKOTA]
        return []


def reference_matches(edition: Edition) -> bool:
    """A reference edition must have the same frozen model and region level (or there is none)."""
    ref = edition.reference
    return ref is None or (ref.model_sha256 == edition.model_sha256 and ref.level == edition.level
                           and ref.pk != edition.pk)


@login_required
def create(request):
    require_admin(request.user)
    form = EditionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        units = _scope_regions(d["level"], d["scope"].strip())
        if not units:
            form.add_error("scope", _("No %(level)s regions under %(code)s.") % {"level": d["level"], "code": d["scope"]})
        else:
            if d.get("model_file"):
                text, model_id = d["model_file"].read().decode("utf-8", "replace"), d["model_file"].name
            else:
                text, model_id = resolve_model_path(d["model"]).read_text(encoding="utf-8"), d["model"]
            base = slugify(d["title"])[:60] or "edisi"
            slug, n = base, 1
            while Edition.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            ed = Edition(slug=slug, title=d["title"], title_en=d["title_en"], level=d["level"],
                         source=d["source"].strip(), source_en=d["source_en"].strip(),
                         scope_code=d["scope"].strip(), regions=units, window_start=d["window_start"],
                         window_end=d["window_end"],
                         previous=Edition.objects.filter(slug=d["previous"]).first() if d["previous"] else None)
            ed.reference = Edition.objects.filter(slug=d["reference"]).first() if d.get("reference") else None
            try:
                freeze_model(ed, text, model_id)
            except RawanError as e:
                for line in e.render(lang()):
                    form.add_error("model_file" if d.get("model_file") else "model", line)
            else:
                if not reference_matches(ed):
                    form.add_error("reference", _("The reference edition must use the same model and level."))
                    return render(request, "rawan/edition_new.html", {"form": form}, status=400)
                ed.save()
                ed.log_action("rawan.edition.created", user=request.user,
                              data={"model": model_id, "sha256": ed.model_sha256, "regions": len(units)})
                messages.success(request, _("Edition created as a draft."))
                return redirect("manage", slug=ed.slug)
    return render(request, "rawan/edition_new.html", {"form": form}, status=400 if form.errors else 200)
