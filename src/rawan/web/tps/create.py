"""A new TPS edition from a KPU-style TPS list (and optionally a file of checklists), by the
province admin: the files go through ``rawan.tps``'s imports (all or nothing, every problem named
with file, sheet, row and column); the edition starts as a draft, and the admin opens its
collection window on the supervision page."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ...regions.defaults import DEFAULT_PROVINCE
from ...tps.checklist_io import import_checklists
from ...tps.messages import TpsError
from ...tps.model import load_tps_model, shipped_tps_models
from ...tps.registry_import import import_registry
from ..access import require_admin
from ..editions.dashboard import lang
from ..editions.models import Edition, Status
from .data import store_registry
from .models import TpsEdition
from .outputs import regions_of
from .services import freeze_tps_model

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{2,79}$")


def _path(upload) -> str:
    return upload.temporary_file_path()  # uploads always stream to a file (bodylimit.QuotaUploadHandler)


def create_tps_edition(*, slug: str, title: str, model_id: str, province: str, registry_path: str,
                       registry_name: str, checklist_path: str | None = None, checklist_name: str = "",
                       user=None) -> TpsEdition:
    """Import the files (TpsError with every problem, nothing written) and create the draft edition
    of one province (a desa of another province is an unknown desa of the list)."""
    model = load_tps_model(model_id)
    regions = regions_of(province)
    first = import_registry(registry_path, model, regions, name=registry_name, lang=lang())
    reg = first.registry
    outside = sorted(c for c in reg.desa_codes if not c.startswith(province + "."))
    if outside:
        raise ValueError(_("%(f)s: desa %(code)s is not in province %(p)s (one province per TPS edition).")
                         % {"f": registry_name, "code": outside[0], "p": province})
    checklist = None
    if checklist_path:
        checklist = import_checklists([checklist_path], model, reg, names=[checklist_name]).checklist
    names = {c: regions.get(c).name for c in reg.desa_codes}
    with transaction.atomic():
        files = f"{registry_name} (SHA-256 {first.sha256})" + (f"; {checklist_name}" if checklist_name else "")
        ed = Edition(slug=slug, title=title, status=Status.DRAFT, level="desa_kelurahan", scope_code=province,
                     regions=[], synthetic=reg.synthetic, source=files, source_en=files)  # file names: either language
        freeze_tps_model(ed, model_id)
        ed.save()
        tps = TpsEdition.objects.create(edition=ed, election=model.election.code)
        n = store_registry(tps, reg, names, checklist)
        ed.log_action("rawan.edition.created", user=user, data={"model": model_id, "kind": "tps", "tps": n,
                                                                "registry": registry_name, "sha256": first.sha256,
                                                                "checklists": checklist_name or None})
    return tps


@never_cache
@login_required
def new_tps_edition(request):
    require_admin(request.user)
    problems: list[str] = []
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        slug = request.POST.get("slug", "").strip().lower()
        title = request.POST.get("title", "").strip()
        model_id = request.POST.get("model", "")
        province = request.POST.get("province", "").strip()
        reg = request.FILES.get("registry")
        chk = request.FILES.get("checklist")
        if not SLUG.match(slug):
            problems.append(_("The short name uses lower-case letters, digits and dashes (3 to 80)."))
        elif Edition.objects.filter(slug=slug).exists():
            problems.append(_("An edition %(slug)s exists already.") % {"slug": slug})
        if not title or len(title) > 300:
            problems.append(_("Give a title (at most 300 characters)."))
        if model_id not in shipped_tps_models():
            problems.append(_("Choose a TPS model."))
        if not re.fullmatch(r"\d{2}", province):
            problems.append(_("The province is its two-digit code, e.g. 15."))
        if reg is None:
            problems.append(_("Choose the TPS list (CSV or XLSX)."))
        if not problems:
            try:
                tps = create_tps_edition(slug=slug, title=title, model_id=model_id, province=province,
                                         registry_path=_path(reg),
                                         registry_name=reg.name, checklist_path=_path(chk) if chk else None,
                                         checklist_name=chk.name if chk else "", user=request.user)
            except TpsError as e:
                problems = e.render(lang())
            except (ValueError, LookupError) as e:
                problems = [str(e)]
            else:
                messages.success(request, _("TPS edition created as a draft with %(n)d TPS. Open its collection "
                                            "window when the PKD accounts are ready.") % {"n": tps.stations.count()})
                return redirect("tps_supervision", slug=slug)
    return render(request, "rawan/tps/new.html", {"problems": problems, "form": form,
                                                  "models": list(shipped_tps_models()),
                                                  "province": DEFAULT_PROVINCE,
                                                  "title": _("New TPS edition")},
                  status=400 if problems else 200)
