"""Edition workflow: the frozen model, compute on verified data, publish a frozen bundle.

The web app and ``rawan web`` commands call these functions; views stay thin.
"""

from __future__ import annotations

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
import numpy as np

from ...engine import ComputeError, Dataset, Problem, compute
from ...engine.data import SYNTHETIC_COLUMN, SYNTHETIC_MARK, read_csv_columns
from ...engine.output import csv_text, to_csv
from ...engine.spec import spec_from_text
from ...vocabulary import SYNTHETIC_EXPLANATION
from .. import messages  # noqa: F401  (registers web.* messages)
from .locking import lock_exclusive
from .models import PUBLIC_STATUSES, TRANSITIONS, Edition, ResultRow, Status

ZIP_DATE = (2024, 1, 1, 0, 0, 0)  # fixed timestamps: same inputs, same bundle bytes


@lru_cache(maxsize=32)
def _spec(sha: str, text: str):
    return spec_from_text(text, file="model.yaml")


_SPEC_BY_SHA: dict[str, object] = {}


def spec_of(edition: Edition):
    """The edition's frozen methodology (None for results-only editions).  Found by the model's
    SHA-256 once parsed in this process, so a caller may defer the model's text (``model_yaml``,
    tens of kB read from the database on every request otherwise)."""
    sha = edition.model_sha256
    if sha:
        hit = _SPEC_BY_SHA.get(sha)
        if hit is not None:
            return hit
    if not edition.model_yaml:
        return None
    spec = _spec(sha, edition.model_yaml)
    if sha and hashlib.sha256(edition.model_yaml.encode("utf-8")).hexdigest() == sha:  # (the text is its sha's)
        if len(_SPEC_BY_SHA) > 64:
            _SPEC_BY_SHA.clear()
        _SPEC_BY_SHA[sha] = spec
    return spec


def freeze_model(edition: Edition, text: str, model_id: str) -> None:
    spec_from_text(text, file=model_id)  # validates, raises SpecError
    edition.model_yaml = text
    edition.model_id = model_id
    edition.model_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()


def dimensions_of(spec) -> list[str]:
    return list(spec.tree.children[spec.tree.root])


# ---- inputs ------------------------------------------------------------------------------------

def verified_dataset(edition: Edition) -> Dataset:
    """The verified submissions as the engine's Dataset, straight from the stored values (numbers)."""
    from ..entry.models import Submission, SubmissionStatus

    spec = spec_of(edition)
    indicators = list(spec.tree.indicators)
    names = edition.region_names()
    subs = list(Submission.objects.filter(edition=edition, status=SubmissionStatus.VERIFIED)
                .order_by("region_code").values_list("region_code", "values"))
    if not subs:
        raise ComputeError(Problem("web.no_verified", {"edition": edition.title}))
    values = np.array([[np.nan if v.get(c) is None else float(v[c]) for c in indicators] for _, v in subs],
                      dtype=float).reshape(len(subs), len(indicators))
    codes = [c for c, _ in subs]
    return Dataset(codes=codes, columns=indicators, values=values, names=[names.get(c, c) for c in codes],
                   source="data.csv", synthetic=edition.synthetic)


def _verified_rows(edition: Edition) -> list:
    """(region, values) of the verified submissions: what a computation reads, to compare cheaply."""
    from ..entry.models import Submission, SubmissionStatus

    return list(Submission.objects.filter(edition=edition, status=SubmissionStatus.VERIFIED)
                .order_by("region_code").values_list("region_code", "values"))


def inputs_csv(data: Dataset) -> str:
    """A Dataset as the engine's data CSV (code, name, data_contoh, indicators...), written by the engine's
    CSV writer, so ``rawan compute --data data.csv`` reads back exactly these values."""
    header = ["code", "name"] + ([SYNTHETIC_COLUMN] if data.synthetic else []) + list(data.columns)
    cols = [np.array(data.codes, dtype=object), np.array(data.names or data.codes, dtype=object)]
    if data.synthetic:
        cols.append(np.full(len(data.codes), SYNTHETIC_MARK, dtype=object))
    cols += [data.values[:, j] for j in range(len(data.columns))]
    return csv_text(header, cols, rank_column=None)


def verified_inputs_csv(edition: Edition) -> str:
    """The verified values as the engine's CSV (what a bundle's data.csv holds)."""
    return inputs_csv(verified_dataset(edition))


def _compute(edition: Edition, data: Dataset):
    return compute(spec_of(edition), data, region_level=edition.level, reference=reference_of(edition))


def reference_of(edition: Edition):
    """The stored reference this edition is computed against (frozen in reference_json), or None."""
    from ...engine import Reference

    if not edition.reference_json:
        return None
    ref = Reference.from_dict(json.loads(edition.reference_json))
    ref.file = edition.reference.title if edition.reference_id else ref.name
    return ref


def freeze_reference(edition: Edition) -> None:
    """Copy the chosen reference edition's reference (bounds, cut-offs, index scores) into this
    edition, so its results never change when the other edition does; cleared without a choice."""
    if not edition.reference_id:
        edition.reference_json = ""
        return
    other = edition.reference
    if other.model_sha256 != edition.model_sha256 or other.level != edition.level:
        raise ComputeError(Problem("web.reference_mismatch", {"edition": other.title}))
    result = result_of(other)
    if result is None:
        raise ComputeError(Problem("web.reference_not_computed", {"edition": other.title}))
    ref = result.to_reference(other.title)
    edition.reference_json = json.dumps(ref.to_dict(), ensure_ascii=False, sort_keys=True)


def _result_from_csv(edition: Edition, text: str):
    """Replay a stored inputs table (a bundle's data.csv) in memory."""
    spec = spec_of(edition)
    raw = read_csv_columns(text.encode("utf-8"), "data.csv")
    data = Dataset.from_columns(raw.header, raw.columns, spec.tree.indicators, source="data.csv")
    return compute(spec, data, region_level=edition.level, reference=reference_of(edition))


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


def compute_preview(edition: Edition, user=None, progress=None):
    """Compute on the verified submissions and store the results (not published).

    Refused for results-only editions and, judged under the row lock, for a published or
    archived edition: its results are those of its frozen bundle and never change.
    Run by a worker (editions.jobs.compute_edition); ``progress(done, total, note)`` is told each step."""
    step = progress or (lambda done, total, note="": None)
    # The engine runs before the lock is taken: on SQLite a write transaction holds the whole
    # database, so computing inside it would stop every operator's save for the length of the
    # computation.  Under the lock the verified values are read again (one query); only if they
    # changed meanwhile (a verification in between) is the computation repeated there.
    pre = Edition.objects.get(pk=edition.pk)
    if pre.results_only or pre.status in PUBLIC_STATUSES:
        raise WorkflowError(f"compute in {pre.status}")
    step(0, 3, "data")
    before = _verified_rows(pre)
    pre_data = verified_dataset(pre)
    freeze_reference(pre)
    step(1, 3, "compute")
    pre_result, pre_inputs = _compute(pre, pre_data), inputs_csv(pre_data)
    read_same = before == _verified_rows(pre)
    step(2, 3, "store")
    with transaction.atomic():
        ed = locked(edition)
        if ed.results_only or ed.status in PUBLIC_STATUSES:
            raise WorkflowError(f"compute in {ed.status}")
        freeze_reference(ed)
        if (read_same and _verified_rows(ed) == before and ed.reference_json == pre.reference_json
                and ed.model_sha256 == pre.model_sha256 and ed.level == pre.level):
            result, inputs = pre_result, pre_inputs
        else:
            data = verified_dataset(ed)
            result, inputs = _compute(ed, data), inputs_csv(data)
        store_results(ed, result)
        ed.computed_at = timezone.now()
        ed.computed_inputs = inputs  # explain() on the region pages replays exactly these
        ed.save(update_fields=["computed_at", "computed_inputs", "reference_json"])
        ed.log_action("rawan.edition.computed", user=user,
                      data={"regions": len(result.codes), "warnings": [w.render("en") for w in result.warnings]})
    _refresh(edition, ed)
    return result


_RESULT_CACHE: dict[tuple, object] = {}
_LOCK = threading.Lock()


def result_of(edition: Edition):
    """The engine Result behind an edition's stored results (for explain), cached per computation."""
    if edition.results_only or not edition.model_yaml:
        return None
    key = (edition.pk, edition.bundle_sha256 or str(edition.computed_at),
           hashlib.sha256(edition.reference_json.encode("utf-8")).hexdigest())
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
#
# A change of status takes the edition's lock exclusively first (``editions.locking``: the saves and
# verifications in flight, which hold it shared, commit before it; those arriving meanwhile wait
# and then see the new status).  Every state change locks the edition's row (``select_for_update``; on SQLite the IMMEDIATE
# transaction takes the database write lock), reads the status again inside that transaction and
# decides from what it reads there, never from the status the request saw.  Two clicks or two
# admins therefore serialise: the second one sees the first one's result.  Publish, archive and
# correction are idempotent: repeating them returns the same edition and writes nothing new.

class WorkflowError(Exception):
    pass


def locked(edition_or_pk) -> Edition:
    """The edition's row, locked for the rest of the current transaction (call inside atomic())."""
    pk = getattr(edition_or_pk, "pk", edition_or_pk)
    return Edition.objects.select_for_update().get(pk=pk)


def _refresh(target: Edition, source: Edition) -> None:
    """Copy the committed state into the caller's object (views keep using the same instance)."""
    for f in source._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def transition(edition: Edition, new: str, user=None, reason: str = "", expected: str | None = None) -> bool:
    """Move the edition to ``new``; True when it changed, False when it already was there.

    ``expected`` is the status the user saw when clicking: if someone else changed it meanwhile
    the step is refused instead of being applied to a state the user did not see."""
    with transaction.atomic():
        lock_exclusive(getattr(edition, "pk", edition))  # saves in flight finish first; new ones wait
        ed = locked(edition)
        old = ed.status
        if old == new:
            _refresh(edition, ed)
            return False
        if expected is not None and expected != old:
            raise WorkflowError(f"status changed meanwhile: {expected} -> {old}")
        if new not in TRANSITIONS.get(Status(old), []):
            raise WorkflowError(f"{old} -> {new}")
        ed.status = new
        ed.save(update_fields=["status"])
        ed.log_action("rawan.edition.status", user=user, data={"old": old, "new": new, "reason": reason})
    _refresh(edition, ed)
    return True
def build_bundle(edition: Edition, inputs_csv: str, result) -> bytes:
    """A zip: data.csv, model.yaml, results.csv, manifest.json (with each file's SHA-256)."""
    files = {
        "data.csv": inputs_csv.encode("utf-8"),
        "model.yaml": edition.model_yaml.encode("utf-8"),
        "results.csv": to_csv(result).encode("utf-8"),
    }
    reproduce = f"rawan compute --model model.yaml --data data.csv --level {edition.level} --out results.csv"
    if edition.reference_json:  # the frozen reference the results were classed against
        files["reference.json"] = (edition.reference_json + "\n").encode("utf-8")
        reproduce += " --reference reference.json"
    manifest = {
        "edition": edition.slug, "title": edition.title, "version": edition.version,
        "level": edition.level, "scope": edition.scope_code, "model": edition.model_id,
        "synthetic": edition.synthetic, "rawan_version": __version__,
        "reproduce": reproduce,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    if edition.synthetic:
        manifest["note"] = f"{SYNTHETIC_MARK}: {SYNTHETIC_EXPLANATION['en']}"
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


def publish(edition: Edition, user=None) -> bool:
    """Freeze the verified inputs, model and results into a bundle and publish the edition.

    True when this call published it; False when it was already published (nothing is
    recomputed, the bundle stays byte-identical).  Anything else than verification (or a
    results-only draft) is refused, judged on the status read under the row lock."""
    with transaction.atomic():
        lock_exclusive(edition.pk)  # saves in flight finish first (fully in); new ones wait, then are refused
        ed = locked(edition)
        old = ed.status
        if old in PUBLIC_STATUSES:
            _refresh(edition, ed)
            return False
        if old != Status.VERIFYING and not (ed.results_only and old == Status.DRAFT):
            raise WorkflowError(f"{old} -> {Status.PUBLISHED}")
        if not ed.results_only:
            data = verified_dataset(ed)
            freeze_reference(ed)
            result = _compute(ed, data)
            inputs = inputs_csv(data)
            store_results(ed, result)
            bundle = build_bundle(ed, inputs, result)
            ed.bundle = bundle
            ed.bundle_sha256 = hashlib.sha256(bundle).hexdigest()
            ed.computed_at = timezone.now()
            ed.computed_inputs = inputs
        ed.rawan_version = __version__
        ed.status = Status.PUBLISHED
        ed.published_at = timezone.now()
        ed.save()
        ed.log_action("rawan.edition.published", user=user,
                      data={"old": old, "new": Status.PUBLISHED, "sha256": ed.bundle_sha256})
    _refresh(edition, ed)
    return True


def start_correction(edition: Edition, user=None, note: str = "", reopen: list[str] | None = None) -> tuple[Edition, bool]:
    """A new version of a published edition, in data collection, with the regions in ``reopen``
    returned to their operators (the change note is the comment they see); every other region
    keeps its verified values.  Publishing it makes a new bundle beside the old one, which stays
    published.  Returns (correction, created): asking again returns the open correction."""
    from ..entry.models import Submission, SubmissionStatus

    note = (note or "").strip()
    reopen = sorted(set(reopen or []))
    with transaction.atomic():
        ed = locked(edition)
        existing = Edition.objects.filter(corrects=ed).order_by("pk").first()
        if existing is not None:
            return existing, False
        if ed.status not in PUBLIC_STATUSES or ed.results_only:
            raise WorkflowError("only a published computed edition can be corrected")
        if not note:
            raise WorkflowError("a correction needs a change note")
        unknown = [c for c in reopen if c not in ed.region_names()]
        if not reopen or unknown:
            raise WorkflowError(f"choose the regions to reopen (unknown: {', '.join(unknown)})")
        version = ed.version + 1
        base = f"{re.sub(r'-v[0-9]+$', '', ed.slug)}-v{version}"
        slug = base
        n = 1
        while Edition.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        new = Edition.objects.create(
            slug=slug, title=ed.title, title_en=ed.title_en,
            status=Status.COLLECTING, synthetic=ed.synthetic, model_id=ed.model_id,
            model_yaml=ed.model_yaml, model_sha256=ed.model_sha256, level=ed.level,
            scope_code=ed.scope_code, regions=ed.regions, previous=ed, corrects=ed,
            version=version, change_note=note, source=ed.source, source_en=ed.source_en,
            source_urls=ed.source_urls)
        subs = []
        for s in ed.submissions.filter(status=SubmissionStatus.VERIFIED):
            again = s.region_code in reopen
            subs.append(Submission(edition=new, region_code=s.region_code, values=s.values, notes=s.notes,
                                   status=SubmissionStatus.RETURNED if again else SubmissionStatus.VERIFIED,
                                   comment=note if again else ""))
        have = {s.region_code for s in subs}
        subs += [Submission(edition=new, region_code=c, status=SubmissionStatus.RETURNED, comment=note)
                 for c in reopen if c not in have]
        Submission.objects.bulk_create(subs)
        new.log_action("rawan.edition.correction", user=user,
                       data={"corrects": ed.slug, "reason": note, "reopened": reopen})
        for c in reopen:
            Submission(edition=new, region_code=c).log_action(
                "rawan.submission.reopened", user=user,
                data={"old": SubmissionStatus.VERIFIED, "new": SubmissionStatus.RETURNED, "reason": note})
    return new, True


_ROBUST_CACHE: dict[tuple, dict] = {}
ROBUSTNESS_RUNS = 1000


ROBUSTNESS_FOLDER = "ketahanan"


def robustness_name(edition: Edition) -> str:
    return f"{ROBUSTNESS_FOLDER}/{edition.bundle_sha256[:32]}-{ROBUSTNESS_RUNS}.json"


def stored_robustness(edition: Edition) -> dict[str, dict] | None:
    """The robustness figures of a published edition if a worker has computed them (else None:
    the region page queues the job, editions.jobs.queue_robustness)."""
    from django.core.files.storage import default_storage

    if not edition.bundle_sha256:
        return None
    key = (edition.pk, edition.bundle_sha256)
    with _LOCK:
        hit = _ROBUST_CACHE.get(key)
    if hit is not None:
        return hit
    name = robustness_name(edition)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as f:
        out = json.loads(f.read().decode("utf-8"))
    with _LOCK:
        _ROBUST_CACHE[key] = out
    return out


def robustness_of(edition: Edition) -> dict[str, dict] | None:
    """Per region: 5-95% rank interval and class stability over 1000 replays of the recipe with the
    engine's default design (weights x U(0.75, 1.25), alternative normalisation); published only.
    Computed once per bundle (by a worker: editions.jobs.robustness_runs) and kept in storage."""
    if not edition.bundle_sha256:
        return None
    hit = stored_robustness(edition)
    if hit is not None:
        return hit
    key = (edition.pk, edition.bundle_sha256)
    from ...demo import DEFAULT_SEED  # the seed of `rawan report --runs` and `rawan robustness`
    from ...engine.sensitivity import quantiles7, uncertainty

    result = result_of(edition)
    ua = uncertainty(result.spec, result.data, runs=ROBUSTNESS_RUNS, seed=DEFAULT_SEED, region_level=edition.level,
                     nominal=result)
    lo, hi = quantiles7(ua.ranks, [0.05, 0.95])
    stab = ua.class_stability
    out = {c: {"rank_low": None if math.isnan(lo[i]) else int(round(lo[i])),
               "rank_high": None if math.isnan(hi[i]) else int(round(hi[i])),
               "class_stability": None if math.isnan(stab[i]) else float(stab[i])}
           for i, c in enumerate(ua.codes)}
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = robustness_name(edition)
    if not default_storage.exists(name):  # same bundle, same seed: any copy has the same bytes
        default_storage.save(name, ContentFile(json.dumps(out, sort_keys=True).encode("utf-8")))
    with _LOCK:
        _ROBUST_CACHE[key] = out
    return out
