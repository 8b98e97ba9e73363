"""Excel/CSV upload of region values through rawan.intake: the same validation as `rawan import`,
every problem shown at once with its sheet, row and column, then a summary of what the file would
change, and only after the operator confirms it is anything saved (all of it, or nothing).

* One round: the file's own problems (from rawan.intake) and the web app's (a region outside the
  operator's scope, a submission already sent) are listed together.
* The uploaded file is kept through Django's storage API (``unggahan/<edition>/<sha256>.<ext>``):
  the confirm step applies exactly the file that was checked, and the audit log's SHA-256 points at
  a file that can be retrieved later (it is evidence, and part of every backup).
* Per-indicator source notes are kept: the file's ``sumber`` column replaces an indicator's note only
  where the file changes that indicator's value (or the indicator had no note); the summary says
  how many notes are replaced and kept, and how many values the file would empty.
* The template is scoped to the operator's regions and pre-filled with their current values.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ...engine import RawanError
from ...intake.limits import WEB_LIMITS
from ..access import collection_open, edition_for, entry_regions
from ..accounts.models import Role
from ..accounts.roles import who
from ..bodylimit import upload_dir
from ..editions.dashboard import lang
from ..editions.models import Status
from ..editions.services import spec_of
from .models import Submission
from .state import diff, lock_for_entry

MAX_UPLOAD = WEB_LIMITS.max_bytes
SUFFIXES = (".xlsx", ".csv")
MAX_SHOWN = 25  # problems listed on the page; `rawan validate` writes every one onto a copy of the file
FOLDER = "unggahan"


def _regions(edition):
    """The default region list of the edition's province (rawan.regions.defaults)."""
    from ...regions import RegionError, load_regions

    try:
        return load_regions(province=edition.scope_code.split(".")[0])
    except RegionError:
        return None


def _writer(user, edition) -> list[tuple[str, str]]:
    if who(user).role not in (Role.OPERATOR, Role.ADMIN):
        raise PermissionDenied("role cannot enter data")
    if edition.status != Status.COLLECTING or not collection_open(edition):
        raise PermissionDenied("edition not collecting data")
    return entry_regions(user, edition)


# ---- the template ------------------------------------------------------------------------------

@login_required
def template(request, slug):
    """The intake template (XLSX) for the regions this user enters, with their current values."""
    from ...intake import make_template

    edition = edition_for(request.user, slug)
    allowed = dict(_writer(request.user, edition))
    regions = _regions(edition)
    if regions is None:
        raise PermissionDenied("region list unavailable")
    w = who(request.user)
    parent = w.region if w.role == Role.OPERATOR else edition.scope_code  # an operator: their kab/kota only
    kind = "kejadian" if request.GET.get("jenis") == "kejadian" else "kuesioner"
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f"{edition.slug}.xlsx"
        make_template(spec_of(edition), regions, level=edition.level, parent=parent, out=out, lang=lang(), kind=kind)
        if kind == "kuesioner":
            _prefill(out, edition, allowed)
        data = out.read_bytes()
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="templat-{kind}-{edition.slug}.xlsx"'
    return resp


def _prefill(path: Path, edition, allowed: dict[str, str]) -> None:
    """Current values into the Data sheet; its ``sumber`` cell when all the region's notes agree."""
    import openpyxl

    subs = {s.region_code: s for s in Submission.objects.filter(edition=edition, region_code__in=list(allowed))}
    if not subs:
        return
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    columns = {str(h).split(" ", 1)[0]: j for j, h in enumerate(header, start=1) if h}
    source_col = columns.get("sumber")
    for row in range(2, ws.max_row + 1):
        sub = subs.get(str(ws.cell(row, 1).value or ""))
        if sub is None:
            continue
        for code, v in sub.values.items():
            if v is not None and code in columns:
                ws.cell(row, columns[code]).value = int(v) if float(v).is_integer() else float(v)
        notes = {n for c, n in sub.notes.items() if n and sub.values.get(c) is not None}
        if source_col and len(notes) == 1:
            ws.cell(row, source_col).value = notes.pop()
    wb.save(path)


# ---- upload: check, summarise, confirm, apply ------------------------------------------------------

@login_required
def upload(request, slug):
    edition = edition_for(request.user, slug)
    allowed = dict(_writer(request.user, edition))
    problems: list[str] = []
    if request.method == "POST" and request.POST.get("confirm"):
        return _apply(request, edition, allowed)
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
            name = Path(f.name).name.replace(os.sep, "_") or f"upload{suffix}"
            with tempfile.TemporaryDirectory(prefix="rawan-upload-", dir=upload_dir()) as d:  # the quota'd folder
                path = Path(d) / name  # the user's file name, so every message names it
                with open(path, "wb") as out:
                    for chunk in f.chunks():
                        out.write(chunk)
                problems, plan, res = _analyse(request, edition, path, name, allowed)
                if not problems:
                    stored = _keep(edition, path, res.provenance.sha256, suffix)
                    return _summary(request, edition, plan, res, name, stored)
    return _page(request, edition, problems)


def _page(request, edition, problems: list[str]):
    shown = problems[:MAX_SHOWN]
    return render(request, "rawan/upload.html", {"edition": edition, "synthetic": edition.synthetic,
                                                 "problems": shown, "more": len(problems) - len(shown)},
                  status=400 if problems else 200)


def _keep(edition, path: Path, sha256: str, suffix: str) -> str:
    """The checked file in storage under its SHA-256 (the same file uploaded twice is kept once)."""
    name = f"{FOLDER}/{edition.slug}/{sha256}{suffix}"
    if not default_storage.exists(name):
        with open(path, "rb") as f:
            saved = default_storage.save(name, File(f))
        if saved != name:  # another process stored the same bytes meanwhile
            default_storage.delete(saved)
    return name


def _analyse(request, edition, path: Path, name: str, allowed: dict[str, str]):
    """(problems, plan, import result): every problem of the file and of its regions, in one list."""
    from ...intake import import_file

    spec = spec_of(edition)
    try:
        res = import_file(path, spec, regions=_regions(edition), user=request.user.get_username(), lang=lang(),
                          level=edition.level, limits=WEB_LIMITS, name=name,
                          default_locale=edition.locale)
    except RawanError as e:
        own = _region_problems(edition, allowed, _codes_of(path, spec), name)
        return own + e.render(lang()), [], None
    data = res.dataset
    sources = data.attributes.get("sumber")
    rows = [(data.rows[i] if data.rows else i + 2, code,
             {c: (None if math.isnan(v) else float(v)) for c, v in zip(data.columns, data.values[i])},
             str(sources[i]).strip() if sources is not None else "")
            for i, code in enumerate(data.codes)]
    rows = [r for r in rows if any(v is not None for v in r[2].values())]  # empty template rows: no entry
    problems = _region_problems(edition, allowed, [(row, code) for row, code, _v, _n in rows], name)
    if problems:
        return problems, [], res
    if not rows:
        return [_("%(file)s has no values to import.") % {"file": name}], [], res
    subs = {s.region_code: s for s in Submission.objects.filter(edition=edition, region_code__in=[r[1] for r in rows])}
    plan = []
    for _row, code, values, note in rows:
        sub = subs.get(code)
        old_values, old_notes = (sub.values, sub.notes) if sub else ({}, {})
        notes = merged_notes(old_values, old_notes, values, note)
        changed = diff(old_values, values)
        plan.append({"code": code, "name": allowed.get(code, code), "values": values, "notes": notes,
                     "file_note": note,
                     "changed": changed, "notes_changed": diff(old_notes, notes),
                     "n_changed": len(changed),
                     "n_cleared": sum(1 for c, (a, b) in changed.items() if a is not None and b is None),
                     "n_new": sum(1 for c, (a, b) in changed.items() if a is None and b is not None),
                     "n_notes_replaced": sum(1 for c in notes if old_notes.get(c) and notes.get(c) != old_notes.get(c)),
                     "n_notes_kept": sum(1 for c in notes if old_notes.get(c) and notes.get(c) == old_notes.get(c))})
    return [], plan, res


def merged_notes(old_values: dict, old_notes: dict, values: dict, file_note: str) -> dict:
    """Per indicator: the file's source where the file changes the value (or there was no note),
    else the note already there.  A value the file empties loses its note."""
    out = {}
    for code, v in values.items():
        if v is None:
            continue
        own = old_notes.get(code, "")
        if file_note and (old_values.get(code) != v or not own):
            out[code] = file_note
        elif own:
            out[code] = own
    return out


def _codes_of(path: Path, spec) -> list[tuple[int, str]]:
    """(row, code) of a questionnaire the intake refused, so region problems come in the same round."""
    try:
        from ...intake.checks import CODE_HEADERS, code_strings, find_column
        from ...intake.events import is_event_table
        from ...intake.table import read_raw

        table = read_raw(path, WEB_LIMITS)
        if is_event_table(table):
            return []
        j = find_column(table, CODE_HEADERS)
        if j is None:
            return []
        return [(int(r), c) for r, c in zip(table.rows, code_strings(table.columns[j])) if c]
    except (RawanError, OSError, ValueError):
        return []


def _region_problems(edition, allowed: dict[str, str], rows: list[tuple[int, str]], name: str) -> list[str]:
    names = edition.region_names()
    subs = {s.region_code: s for s in Submission.objects.filter(edition=edition,
                                                                region_code__in=[c for _r, c in rows])}
    out = []
    for row, code in rows:
        if code not in names:
            continue  # not a region of this edition: rawan.intake names it
        if code not in allowed:
            out.append(_("%(file)s, row %(row)s: region %(code)s is outside the regions you enter data for.")
                       % {"file": name, "row": row, "code": code})
            continue
        sub = subs.get(code)
        if sub is not None and not sub.editable:
            out.append(_("%(file)s, row %(row)s: %(code)s has already been submitted (%(status)s); it cannot "
                         "be changed now.") % {"file": name, "row": row, "code": code,
                                               "status": sub.get_status_display()})
    return out


def _summary(request, edition, plan: list[dict], res, name: str, stored: str):
    for w in res.warnings:
        messages.warning(request, w.render(lang()))
    return render(request, "rawan/upload_confirm.html", {
        "edition": edition, "synthetic": edition.synthetic, "plan": plan, "file": name,
        "sha256": res.provenance.sha256, "stored": stored,
        "n_changed": sum(p["n_changed"] for p in plan), "n_cleared": sum(p["n_cleared"] for p in plan),
        "n_notes_replaced": sum(p["n_notes_replaced"] for p in plan),
        "n_notes_kept": sum(p["n_notes_kept"] for p in plan),
        "unchanged": [p for p in plan if not p["n_changed"] and not p["notes_changed"]]})


def _apply(request, edition, allowed: dict[str, str]):
    """The confirm step: the stored file checked again against the current data, then saved."""
    sha = request.POST.get("confirm", "")
    name = Path(request.POST.get("file", "")).name
    suffix = Path(name).suffix.lower()
    stored = f"{FOLDER}/{edition.slug}/{sha}{suffix}"
    if (len(sha) != 64 or any(ch not in "0123456789abcdef" for ch in sha) or suffix not in SUFFIXES
            or not default_storage.exists(stored)):
        return _page(request, edition, [_("The checked file is no longer available: upload it again.")])
    with tempfile.TemporaryDirectory(prefix="rawan-upload-", dir=upload_dir()) as d:
        path = Path(d) / name
        with default_storage.open(stored, "rb") as src, open(path, "wb") as out:
            shutil.copyfileobj(src, out)
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            return _page(request, edition, [_("The checked file is no longer available: upload it again.")])
        problems, plan, res = _analyse(request, edition, path, name, allowed)
    if problems:  # the data changed since the summary (e.g. a region was submitted meanwhile)
        return _page(request, edition, problems)
    prov = res.provenance.as_dict()
    try:
        with transaction.atomic():
            # every submission locked first, in region-code order, before any write or audit entry:
            # saves of single regions run beside an upload (the edition's lock is shared), and a
            # lock taken after the audit log's head could wait on a save that waits for that head
            locked = {}
            for p in sorted(plan, key=lambda p: p["code"]):
                sub, _created = Submission.objects.get_or_create(edition=edition, region_code=p["code"])
                locked[p["code"]] = lock_for_entry(sub)
            for p in plan:
                cur = locked[p["code"]]
                notes = merged_notes(cur.values, cur.notes, p["values"], p["file_note"])  # as of now, locked
                changed, notes_changed = diff(cur.values, p["values"]), diff(cur.notes, notes)
                cur.values, cur.notes, cur.updated_by = p["values"], notes, request.user
                cur.save()
                cur.log_action("rawan.submission.imported", user=request.user,
                               data={"changed": changed, "notes": notes_changed, "file": prov["file"],
                                     "sha256": prov["sha256"], "stored": stored})
    except PermissionDenied:
        return _page(request, edition, [_("Entry closed while the file was being applied; nothing was saved.")])
    messages.success(request, _("Imported %(n)d region(s) from %(file)s as drafts.") % {"n": len(plan), "file": name})
    return redirect("entry_list", slug=edition.slug)
