"""Excel/CSV upload of region values through rawan.intake: the same validation as `rawan import`,
every problem shown with its sheet, row and column, and nothing saved unless all of it is right."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ...engine import RawanError
from ...intake.limits import WEB_LIMITS
from ..bodylimit import upload_dir
from ..access import collection_open, edition_for, entry_regions
from ..accounts.models import Role
from ..accounts.roles import who
from ..editions.dashboard import lang
from ..editions.models import Status
from ..editions.services import spec_of
from .models import Submission

MAX_UPLOAD = WEB_LIMITS.max_bytes
SUFFIXES = (".xlsx", ".csv")
MAX_SHOWN = 25  # problems listed on the page; `rawan validate` writes every one onto a copy of the file


def _regions():
    from ...regions import RegionError, load_regions

    try:
        return load_regions()
    except RegionError:
        return None


def _writer(user, edition) -> list[tuple[str, str]]:
    if who(user).role not in (Role.OPERATOR, Role.ADMIN):
        raise PermissionDenied("role cannot enter data")
    if edition.status != Status.COLLECTING or not collection_open(edition):
        raise PermissionDenied("edition not collecting data")
    return entry_regions(user, edition)


@login_required
def template(request, slug):
    """The intake template (XLSX) for the regions this user enters."""
    from ...intake import make_template

    edition = edition_for(request.user, slug)
    _writer(request.user, edition)
    regions = _regions()
    if regions is None:
        raise PermissionDenied("region list unavailable")
    w = who(request.user)
    parent = w.region if (w.role == Role.OPERATOR and edition.level != "kabupaten_kota") else edition.scope_code
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f"{edition.slug}.xlsx"
        kind = "kejadian" if request.GET.get("jenis") == "kejadian" else "kuesioner"
        make_template(spec_of(edition), regions, level=edition.level, parent=parent, out=out, lang=lang(), kind=kind)
        data = out.read_bytes()
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="templat-{kind}-{edition.slug}.xlsx"'
    return resp


@login_required
def upload(request, slug):
    edition = edition_for(request.user, slug)
    allowed = dict(_writer(request.user, edition))
    problems: list[str] = []
    if request.method == "POST":
        f = request.FILES.get("file")
        suffix = Path(f.name).suffix.lower() if f else ""
        refused = getattr(request, "upload_refused", None)
        if refused:  # QuotaUploadHandler stopped it: over the size limit, or the upload folder is full
            problems = [_("The file is over 10 MB and was not accepted.") if refused == "size" else
                        _("The server is busy with other uploads; try again in a few minutes.")]
            return render(request, "rawan/upload.html", {"edition": edition, "synthetic": edition.synthetic,
                                                         "problems": problems, "more": 0}, status=413)
        if f is None:
            problems = [_("Choose a file.")]
        elif suffix not in SUFFIXES or f.size > MAX_UPLOAD:
            problems = [_("%(file)s: only .xlsx or .csv files up to 10 MB are accepted.") % {"file": f.name}]
        else:
            problems = _import(request, edition, f, suffix, allowed)
            if not problems:
                return redirect("entry_list", slug=slug)
    shown = problems[:MAX_SHOWN]
    return render(request, "rawan/upload.html", {"edition": edition, "synthetic": edition.synthetic,
                                                 "problems": shown, "more": len(problems) - len(shown)},
                  status=400 if problems else 200)


def _import(request, edition, f, suffix: str, allowed: dict[str, str]) -> list[str]:
    from ...intake import import_file

    spec = spec_of(edition)
    d = tempfile.mkdtemp(prefix="rawan-upload-", dir=upload_dir())  # inside the quota'd folder
    try:
        # the user's file name, so every message names it (not a temporary name)
        path = Path(d) / (Path(f.name).name.replace(os.sep, "_") or f"upload{suffix}")
        with open(path, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        try:
            res = import_file(path, spec, regions=_regions(), user=request.user.get_username(), lang=lang(),
                              level=edition.level, limits=WEB_LIMITS, default_locale=edition.locale)
        except RawanError as e:
            return e.render(lang())
    finally:
        shutil.rmtree(d, ignore_errors=True)
    data = res.dataset
    sources = data.attributes.get("sumber")
    rows = []
    problems = []
    subs = {s.region_code: s for s in Submission.objects.filter(edition=edition, region_code__in=data.codes)}
    for i, code in enumerate(data.codes):
        values = {c: (None if math.isnan(v) else float(v)) for c, v in zip(data.columns, data.values[i])}
        if all(v is None for v in values.values()):
            continue  # an empty row of the template: not an entry
        row = data.rows[i] if data.rows else i + 2
        if code not in allowed:
            problems.append(_("%(file)s, row %(row)s: region %(code)s is outside the regions you enter data for.")
                            % {"file": f.name, "row": row, "code": code})
            continue
        sub = subs.get(code)
        if sub is not None and not sub.editable:
            problems.append(_("%(file)s, row %(row)s: %(code)s has already been submitted (%(status)s); it cannot "
                              "be changed now.") % {"file": f.name, "row": row, "code": code,
                                                    "status": sub.get_status_display()})
            continue
        note = str(sources[i]).strip() if sources is not None else ""
        rows.append((code, values, note))
    if problems:
        return problems
    if not rows:
        return [_("%(file)s has no values to import.") % {"file": f.name}]
    prov = res.provenance.as_dict()
    with transaction.atomic():
        for code, values, note in rows:
            sub, _created = Submission.objects.get_or_create(edition=edition, region_code=code)
            changed = {c: [sub.values.get(c), v] for c, v in values.items() if sub.values.get(c) != v}
            sub.values = values
            if note:
                sub.notes = {**sub.notes, **{c: note for c, v in values.items() if v is not None}}
            sub.updated_by = request.user
            sub.save()
            sub.log_action("rawan.submission.imported", user=request.user,
                           data={"changed": changed, "file": prov["file"], "sha256": prov["sha256"]})
    for w in res.warnings:
        messages.warning(request, w.render(lang()))
    messages.success(request, _("Imported %(n)d region(s) from %(file)s as drafts.") % {"n": len(rows), "file": f.name})
    return []
