"""The PKD's writes and the supervisor's decisions, each under row locks judged on the state read
inside the transaction (the pattern of ``entry.state``).

Lock order, everywhere: the edition (a shared advisory lock on PostgreSQL: saves do not queue
behind each other, only behind a change of the edition's status, which takes it exclusively), the TPS rows (by id), the desa row, and
last the audit log's head (held for the shortest time).  A checklist save writes no audit entry
(its TpsSave row is the record; see ``save_checklist``): thousands of PKD save at once, and the
audit chain's one head row would make them wait for each other.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..access import collection_open
from ..audit.models import log_action
from ..editions.locking import lock_exclusive, lock_shared
from ..editions.models import Edition, Status
from .models import DesaReport, ReportStatus as R, SaveOutcome as O, TpsSave, TpsStation

NOTE_MAX = 500  # characters of the note on one "ya"


class ChecklistError(ValueError):
    """A checklist that cannot be saved (unknown indicator, note too long, ...); names the place."""


def lock_edition_exclusive(edition_id: int) -> None:
    """Inside a transaction, before a TPS edition's status or window changes: waits for the saves
    in flight, and saves that start meanwhile wait for it (``editions.locking``)."""
    lock_exclusive(edition_id)


def _edition_open(edition_id: int) -> None:
    """Inside a transaction: the edition is collecting and inside its window, read under the
    edition's shared lock that a status change must wait for (``editions.locking``: on PostgreSQL
    an advisory lock in memory, so saves never wait for each other; SQLite locks the whole database)."""
    ed = lock_shared(edition_id)
    if ed.status != Status.COLLECTING or not collection_open(ed):
        raise PermissionDenied("collection closed")


def clean_checklist(answers, notes: dict, codes: list[str], station: TpsStation) -> tuple[list[str], dict]:
    """The answers in the model's order and the notes of the yes answers; ChecklistError names the TPS
    and indicator of the first problem."""
    known = set(codes)
    where = f"{station.desa_code} {station.label}"
    bad = [a for a in answers if a not in known]
    if bad:
        raise ChecklistError(f"{where}: indikator {bad[0]!r} tidak ada di model / not in the model")
    yes = set(answers)
    out_notes = {}
    for code, note in (notes or {}).items():
        note = str(note).strip()
        if not note or code not in yes:
            continue  # a note belongs to a "ya"
        if len(note) > NOTE_MAX:
            raise ChecklistError(f"{where}, {code}: catatan {len(note)} karakter, paling banyak {NOTE_MAX} / "
                                 f"the note is {len(note)} characters, at most {NOTE_MAX}")
        out_notes[code] = note
    return [c for c in codes if c in yes], out_notes


def desa_status(stations: list[TpsStation], current: str) -> str:
    saved = sum(1 for s in stations if s.version > 0)
    if current == R.NONE and not any(s.answers for s in stations):
        return R.NONE
    if saved == 0:
        return R.NOT_YET
    return R.REPORTED if saved == len(stations) else R.PARTIAL


def _refresh_desa(station: TpsStation, user) -> DesaReport:
    rep = DesaReport.objects.select_for_update().get(edition_id=station.edition_id, desa_code=station.desa_code)
    stations = list(TpsStation.objects.filter(edition_id=station.edition_id, desa_code=station.desa_code)
                    .only("version", "answers"))
    new = desa_status(stations, rep.status if rep.status == R.NONE else "")
    rep.status, rep.updated_at, rep.updated_by = new, timezone.now(), user
    rep.save(update_fields=["status", "updated_at", "updated_by"])
    return rep


def _touch_desa(station: TpsStation, user, first_save: bool) -> None:
    """After a save: a TPS saved again in a desa that is "sebagian" or "lapor" keeps that status
    (one UPDATE); anything else (a first save, a returned or "tidak ada" desa) is recomputed."""
    if not first_save and DesaReport.objects.filter(
            edition_id=station.edition_id, desa_code=station.desa_code, status__in=(R.PARTIAL, R.REPORTED)
    ).update(updated_at=timezone.now(), updated_by=user):
        return
    _refresh_desa(station, user)


def save_checklist(edition: Edition, station: TpsStation, user, *, save_id, base_version: int, answers: list[str],
                   notes: dict, photo: str = "") -> tuple[TpsSave, TpsStation]:
    """Apply one save, once; returns the save's record and the TPS as it is now.  The same
    ``save_id`` again returns the first answer unchanged.  A save based on an older version than the
    TPS's is kept as a conflict and changes nothing."""
    save_id = uuid.UUID(str(save_id))
    try:
        with transaction.atomic():
            _edition_open(station.edition_id)
            cur = TpsStation.objects.select_for_update().get(pk=station.pk)
            if base_version != cur.version:
                rec = TpsSave.objects.create(edition_id=cur.edition_id, station=cur, save_id=save_id,
                                             base_version=base_version, version=cur.version, outcome=O.CONFLICT,
                                             answers=answers, notes=notes, photo=photo, user=user)
                log_action("rawan.tps.conflict", user=user, edition=edition, region_code=cur.desa_code,
                           data={"tps": cur.number, "base": base_version, "current": cur.version})
                return rec, cur
            first = cur.version == 0
            cur.answers, cur.notes, cur.version = answers, notes, cur.version + 1
            if photo:
                cur.photo = photo
            cur.saved_at, cur.saved_by = timezone.now(), user
            # the save's own row first: a save_id seen before stops here (IntegrityError, all rolled back)
            rec = TpsSave.objects.create(edition_id=cur.edition_id, station=cur, save_id=save_id,
                                         base_version=base_version, version=cur.version, outcome=O.APPLIED,
                                         answers=answers, notes=notes, photo=photo, user=user)
            cur.save(update_fields=["answers", "notes", "photo", "version", "saved_at", "saved_by"])
            _touch_desa(cur, user, first)
            # no audit-log entry per save: the log is one hash chain (one row lock that every writer
            # takes), which would serialise every PKD of the country; the save's own row (TpsSave:
            # who, when, base and new version, answers, notes) is its record, and conflicts,
            # decisions, returns, "tidak ada" and the window go to the audit log
            return rec, cur
    except IntegrityError:  # this save arrived before (a resend, or twice at the same moment)
        prior = TpsSave.objects.select_related("station").filter(save_id=save_id).first()
        if prior is None:
            raise
        return prior, prior.station


def declare_none(edition: Edition, report: DesaReport, user) -> DesaReport:
    """"Tidak ada kerawanan di desa ini": the desa reported and found nothing.  Refused (ValueError)
    while a TPS of the desa has a "ya"."""
    with transaction.atomic():
        _edition_open(report.edition_id)
        stations = list(TpsStation.objects.select_for_update().filter(
            edition_id=report.edition_id, desa_code=report.desa_code).order_by("id"))
        rep = DesaReport.objects.select_for_update().get(pk=report.pk)
        flagged = [s.label for s in stations if s.answers]
        if flagged:
            raise ValueError(", ".join(flagged))
        old = rep.status
        rep.status, rep.comment, rep.updated_at, rep.updated_by = R.NONE, "", timezone.now(), user
        rep.save(update_fields=["status", "comment", "updated_at", "updated_by"])
        log_action("rawan.tps.none", user=user, edition=edition,
                   region_code=rep.desa_code, data={"old": old, "new": R.NONE})
    return rep


class NothingToReturn(Exception):
    """The desa has not reported (nothing to return) or was returned already."""


def return_desa(edition: Edition, report: DesaReport, user, comment: str) -> DesaReport:
    """Return a desa's report to its PKD with a comment (the wave-1 return-with-comment flow)."""
    comment = comment.strip()
    if not comment:
        raise ValueError("comment required")
    with transaction.atomic():
        rep = DesaReport.objects.select_for_update().get(pk=report.pk)
        if rep.status in (R.NOT_YET, R.RETURNED):
            raise NothingToReturn(rep.status)
        old = rep.status
        rep.status, rep.comment, rep.updated_at, rep.updated_by = R.RETURNED, comment, timezone.now(), user
        rep.save(update_fields=["status", "comment", "updated_at", "updated_by"])
        log_action("rawan.tps.returned", user=user, edition=edition,
                   region_code=rep.desa_code, data={"old": old, "new": R.RETURNED, "reason": comment})
    return rep


def resolve_conflict(edition: Edition, save: TpsSave, user, take: bool) -> TpsSave:
    """The supervisor's choice on a conflict: keep the TPS's current checklist, or take the
    conflicting one (it becomes a new version).  NothingToReturn when decided meanwhile."""
    with transaction.atomic():
        rec = TpsSave.objects.select_for_update().get(pk=save.pk)
        if rec.outcome != O.CONFLICT:
            raise NothingToReturn(rec.outcome)
        cur = TpsStation.objects.select_for_update().get(pk=rec.station_id)
        old = {"answers": cur.answers, "notes": cur.notes, "version": cur.version}
        if take:
            cur.answers, cur.notes, cur.version = rec.answers, rec.notes, cur.version + 1
            if rec.photo:
                cur.photo = rec.photo
            cur.saved_at, cur.saved_by = timezone.now(), rec.user
            cur.save(update_fields=["answers", "notes", "photo", "version", "saved_at", "saved_by"])
            _refresh_desa(cur, user)
        rec.outcome = O.TAKEN if take else O.KEPT
        rec.version = cur.version
        rec.resolved_by, rec.resolved_at = user, timezone.now()
        rec.save(update_fields=["outcome", "version", "resolved_by", "resolved_at"])
        log_action("rawan.tps.resolved", user=user, edition=edition, region_code=cur.desa_code,
                   data={"tps": cur.number, "choice": rec.outcome, "old": old,
                         "new": {"answers": cur.answers, "notes": cur.notes, "version": cur.version}})
    return rec
