"""The edition's long work, run by a worker (rawan.web.tasks) instead of inside a request:
computing the preview, building the mapping book, the robustness replays of a published edition.

Each task takes ids (JSON), reads the current state itself and is safe to run twice: computing
again stores the same results; a report or robustness file is written once, keyed by the bundle's
SHA-256, under a named lock.
"""

from __future__ import annotations

from django.utils import translation

from .. import tasks

COMPUTE_SUBJECT = "edition:{pk}:compute"


def compute_subject(edition) -> str:
    return COMPUTE_SUBJECT.format(pk=edition.pk)


@tasks.background(max_attempts=3, lease_seconds=300, retry_delay=5, label="compute")
def compute_edition(edition_pk: int, user_pk: int | None = None, lang: str = "id") -> dict:
    """The admin's "Compute preview": verified data -> stored results (not published)."""
    from django.contrib.auth import get_user_model

    from ...engine import RawanError
    from .models import Edition
    from .services import WorkflowError, compute_preview

    edition = Edition.objects.filter(pk=edition_pk).first()
    if edition is None:
        raise tasks.Fail(f"edition {edition_pk} no longer exists")
    user = get_user_model().objects.filter(pk=user_pk).first() if user_pk else None
    try:
        result = compute_preview(edition, user, progress=tasks.progress)
    except WorkflowError as e:
        with translation.override(lang):
            raise tasks.Fail(translation.gettext("This step is not allowed in the current status.")) from e
    except RawanError as e:
        raise tasks.Fail(" ".join(e.render(lang))) from e
    return {"regions": len(result.codes),
            "warnings": {lg: [w.render(lg) for w in result.warnings] for lg in ("id", "en")}}


@tasks.background(max_attempts=3, lease_seconds=600, retry_delay=10, label="report")
def build_report(edition_pk: int, lang: str, fmt: str) -> dict:
    """The mapping book of a published edition in one language and format, kept in storage."""
    from .report import ensure_report

    edition = _published(edition_pk)
    tasks.progress(0, 1, "laporan")
    with translation.override(lang):
        name = ensure_report(edition, lang, fmt)
    tasks.progress(1, 1, "laporan")
    from django.urls import reverse

    return {"name": name, "url": reverse("download_report", kwargs={"slug": edition.slug, "fmt": fmt})}


@tasks.background(max_attempts=3, lease_seconds=600, retry_delay=10, label="infographic")
def build_infographic(edition_pk: int, lang: str) -> dict:
    """The infographic (PNG) of a published edition in one language, kept in storage."""
    from .report import ensure_infographic

    edition = _published(edition_pk)
    tasks.progress(0, 1, "infografik")
    with translation.override(lang):
        name = ensure_infographic(edition, lang)
    tasks.progress(1, 1, "infografik")
    from django.urls import reverse

    return {"name": name, "url": reverse("download_infographic", kwargs={"slug": edition.slug})}


def _published(edition_pk: int):
    from .models import Edition

    edition = Edition.objects.filter(pk=edition_pk).first()
    if edition is None or not edition.is_public or not (edition.bundle_sha256 or edition.results_only):
        raise tasks.Fail(f"edition {edition_pk} is not published")
    return edition


@tasks.background(max_attempts=3, lease_seconds=600, retry_delay=10, label="robustness")
def robustness_runs(edition_pk: int) -> dict:
    """The 1000 replays behind "how firm is this result" on the region pages of a published edition."""
    from .models import Edition
    from .services import ROBUSTNESS_RUNS, robustness_of

    edition = Edition.objects.filter(pk=edition_pk).first()
    if edition is None or not edition.bundle_sha256:
        raise tasks.Fail(f"edition {edition_pk} has no published bundle")
    tasks.progress(0, 1, f"{ROBUSTNESS_RUNS} run")
    out = robustness_of(edition)
    tasks.progress(1, 1, f"{ROBUSTNESS_RUNS} run")
    return {"regions": len(out or {})}


def robustness_subject(edition) -> str:
    return f"edition:{edition.pk}:robustness:{edition.bundle_sha256[:16]}"


def queue_robustness(edition):
    """Queue the robustness replays of a published edition unless they are queued or running."""
    return tasks.enqueue_once(robustness_runs, edition.pk, subject=robustness_subject(edition),
                              label=f"Uji ketahanan {edition.slug}")
