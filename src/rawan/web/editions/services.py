"""Edition workflow: the frozen model, compute on verified data, publish a frozen bundle.

The web app and ``rawan web`` commands call these functions; views stay thin.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import threading
import zipfile
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from ... import __version__
from ...engine import ComputeError, Problem, compute, read_data
from ...engine.data import SYNTHETIC_COLUMN, SYNTHETIC_MARK
from ...engine.output import to_csv
from ...engine.spec import spec_from_dict
from .. import messages  # noqa: F401  (registers web.* messages)
from .models import PUBLIC_STATUSES, TRANSITIONS, Edition, ResultRow, Status

ZIP_DATE = (2024, 1, 1, 0, 0, 0)  # fixed timestamps: same inputs, same bundle bytes


@lru_cache(maxsize=32)
def _spec(sha: str, text: str):
    import yaml

    return spec_from_dict(yaml.safe_load(text), file="model.yaml")


def spec_of(edition: Edition):
    """The edition's frozen methodology (None for results-only editions)."""
    if not edition.model_yaml:
        return None
    return _spec(edition.model_sha256, edition.model_yaml)


def freeze_model(edition: Edition, text: str, model_id: str) -> None:
    spec_from_dict(__import__("yaml").safe_load(text), file=model_id)  # validates, raises SpecError
    edition.model_yaml = text
    edition.model_id = model_id
    edition.model_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()


def dimensions_of(spec) -> list[str]:
    return list(spec.tree.children[spec.tree.root])


# ---- inputs ------------------------------------------------------------------------------------

def verified_inputs_csv(edition: Edition) -> str:
    """The verified values as the engine's CSV (code, name, data_contoh, indicators...)."""
    from ..entry.models import Submission, SubmissionStatus

    spec = spec_of(edition)
    indicators = spec.tree.indicators
    names = edition.region_names()
    subs = Submission.objects.filter(edition=edition, status=SubmissionStatus.VERIFIED).order_by("region_code")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "name"] + ([SYNTHETIC_COLUMN] if edition.synthetic else []) + indicators)
    n = 0
    for s in subs:
        row = [s.region_code, names.get(s.region_code, s.region_code)]
        if edition.synthetic:
            row.append(SYNTHETIC_MARK)
        row += ["" if s.values.get(c) is None else repr(float(s.values[c])) for c in indicators]
        w.writerow(row)
        n += 1
    if n == 0:
        raise ComputeError(Problem("web.no_verified", {"edition": edition.title}))
    return buf.getvalue()


def _result_from_csv(edition: Edition, text: str):
    import os
    import tempfile

    spec = spec_of(edition)
    fd, path = tempfile.mkstemp(suffix=".csv", prefix="rawan-inputs-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        data = read_data(path, spec.tree.indicators)
    finally:
        os.unlink(path)
    data.source = "data.csv"
    return compute(spec, data, region_level=edition.level)


# ---- results -----------------------------------------------------------------------------------

def _num(x) -> float | None:
    x = float(x)
    return None if math.isnan(x) else round(x, 6)


def store_results(edition: Edition, result) -> None:
    spec = result.spec
    cat = result.categories.get(result.index_code)
    ranks = result.rank()
    cov = result.coverage()
    dims = dimensions_of(spec)
    root = result.col(result.index_code)
    rows = []
    for i, code in enumerate(result.codes):
        rank = ranks[i]
        rows.append(ResultRow(
            edition=edition, region_code=code, name=(result.names or result.codes)[i], level=edition.level,
            score=_num(result.scores[i, root]), rank=None if math.isnan(rank) else int(rank),
            category=(cat.label_of(i) if cat else None) or "",
            dimensions={d: _num(result.scores[i, result.col(d)]) for d in dims},
            completeness=_num(cov[i])))
    with transaction.atomic():
        ResultRow.objects.filter(edition=edition).delete()
        ResultRow.objects.bulk_create(rows)


def compute_preview(edition: Edition, user=None):
    """Compute on the verified submissions and store the results (not published)."""
    inputs = verified_inputs_csv(edition)
    result = _result_from_csv(edition, inputs)
    store_results(edition, result)
    edition.computed_at = timezone.now()
    edition.computed_inputs = inputs  # explain() on the region pages replays exactly these
    edition.save(update_fields=["computed_at", "computed_inputs"])
    edition.log_action("rawan.edition.computed", user=user,
                       data={"regions": len(result.codes), "warnings": [w.render("en") for w in result.warnings]})
    return result


_RESULT_CACHE: dict[tuple, object] = {}
_LOCK = threading.Lock()


def result_of(edition: Edition):
    """The engine Result behind an edition's stored results (for explain), cached per computation."""
    if edition.results_only or not edition.model_yaml:
        return None
    key = (edition.pk, edition.bundle_sha256 or str(edition.computed_at))
    with _LOCK:
        hit = _RESULT_CACHE.get(key)
    if hit is not None:
        return hit
    if edition.bundle:
        text = bundle_files(bytes(edition.bundle))["data.csv"].decode("utf-8")
    elif edition.computed_at and edition.computed_inputs:
        text = edition.computed_inputs
    else:
        return None
    result = _result_from_csv(edition, text)
    with _LOCK:
        if len(_RESULT_CACHE) > 64:
            _RESULT_CACHE.clear()
        _RESULT_CACHE[key] = result
    return result


# ---- status workflow and publication ------------------------------------------------------------

class WorkflowError(Exception):
    pass


def transition(edition: Edition, new: str, user=None, reason: str = "") -> None:
    old = edition.status
    if new not in TRANSITIONS.get(Status(old), []):
        raise WorkflowError(f"{old} -> {new}")
    edition.status = new
    edition.save(update_fields=["status"])
    edition.log_action("rawan.edition.status", user=user, data={"old": old, "new": new, "reason": reason})


def build_bundle(edition: Edition, inputs_csv: str, result) -> bytes:
    """A zip: data.csv, model.yaml, results.csv, manifest.json (with each file's SHA-256)."""
    files = {
        "data.csv": inputs_csv.encode("utf-8"),
        "model.yaml": edition.model_yaml.encode("utf-8"),
        "results.csv": to_csv(result).encode("utf-8"),
    }
    manifest = {
        "edition": edition.slug, "title": edition.title, "version": edition.version,
        "level": edition.level, "scope": edition.scope_code, "model": edition.model_id,
        "synthetic": edition.synthetic, "rawan_version": __version__,
        "reproduce": f"rawan compute --model model.yaml --data data.csv --level {edition.level} --out results.csv",
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    if edition.synthetic:
        manifest["note"] = "DATA CONTOH: synthetic values, not Bawaslu data"
    files["manifest.json"] = (json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name])
    return buf.getvalue()


def bundle_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def publish(edition: Edition, user=None) -> Edition:
    """Freeze the verified inputs, model and results into a bundle and publish the edition."""
    if edition.status != Status.VERIFYING and not (edition.results_only and edition.status == Status.DRAFT):
        raise WorkflowError(f"{edition.status} -> {Status.PUBLISHED}")
    with transaction.atomic():
        if not edition.results_only:
            inputs = verified_inputs_csv(edition)
            result = _result_from_csv(edition, inputs)
            store_results(edition, result)
            bundle = build_bundle(edition, inputs, result)
            edition.bundle = bundle
            edition.bundle_sha256 = hashlib.sha256(bundle).hexdigest()
            edition.computed_at = timezone.now()
        edition.rawan_version = __version__
        old = edition.status
        edition.status = Status.PUBLISHED
        edition.published_at = timezone.now()
        edition.save()
        edition.log_action("rawan.edition.published", user=user,
                           data={"old": old, "new": Status.PUBLISHED, "sha256": edition.bundle_sha256})
    return edition


def start_correction(edition: Edition, user=None, note: str = "") -> Edition:
    """A new draft version of a published edition; the published one stays visible."""
    if edition.status not in PUBLIC_STATUSES or edition.results_only:
        raise WorkflowError("only a published computed edition can be corrected")
    from ..entry.models import Submission

    version = edition.version + 1
    slug = f"{re.sub(r'-v[0-9]+$', '', edition.slug)}-v{version}"
    while Edition.objects.filter(slug=slug).exists():
        slug += "-b"
    new = Edition.objects.create(
        slug=slug, title=edition.title, title_en=edition.title_en,
        status=Status.COLLECTING, synthetic=edition.synthetic, model_id=edition.model_id,
        model_yaml=edition.model_yaml, model_sha256=edition.model_sha256, level=edition.level,
        scope_code=edition.scope_code, regions=edition.regions, previous=edition, corrects=edition,
        version=version, change_note=note)
    Submission.objects.bulk_create([
        Submission(edition=new, region_code=s.region_code, status=s.status, values=s.values, notes=s.notes)
        for s in edition.submissions.all()])
    new.log_action("rawan.edition.correction", user=user, data={"corrects": edition.slug, "reason": note})
    return new


_ROBUST_CACHE: dict[tuple, dict] = {}
ROBUSTNESS_RUNS = 1000


def robustness_of(edition: Edition) -> dict[str, dict] | None:
    """Per region: 5-95% rank interval and class stability over 1000 replays of the recipe with the
    engine's default design (weights x U(0.75, 1.25), alternative normalisation); published only."""
    if not edition.bundle_sha256:
        return None
    key = (edition.pk, edition.bundle_sha256)
    with _LOCK:
        hit = _ROBUST_CACHE.get(key)
    if hit is not None:
        return hit
    from ...engine.sensitivity import quantiles7, uncertainty

    result = result_of(edition)
    ua = uncertainty(result.spec, result.data, runs=ROBUSTNESS_RUNS, seed=0, region_level=edition.level,
                     nominal=result)
    lo, hi = quantiles7(ua.ranks, [0.05, 0.95])
    stab = ua.class_stability
    out = {c: {"rank_low": None if math.isnan(lo[i]) else int(round(lo[i])),
               "rank_high": None if math.isnan(hi[i]) else int(round(hi[i])),
               "class_stability": None if math.isnan(stab[i]) else float(stab[i])}
           for i, c in enumerate(ua.codes)}
    with _LOCK:
        _ROBUST_CACHE[key] = out
    return out
