"""Submission state changes under a row lock, judged on the state read inside the transaction.

An operator's save, a verifier's approve/return and an admin's status change of the edition may
arrive at the same moment; each locks what it depends on (the edition's lock, then the submission
row, always in that order), reads the status again and decides from that, so none of them acts on
a state that has changed meanwhile.  Saves and decisions take the edition's lock shared (they do not
wait for each other, only for a status or window change, which takes it exclusively:
``editions.locking``); the submission's row lock keeps two writes of one submission in order.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from ..access import collection_open
from ..editions.locking import STATE_FIELDS, lock_shared
from ..editions.models import Status
from .models import Submission, SubmissionStatus as S


# the large columns of the edition stay out of the write transaction (on SQLite it holds the whole
# database: every byte read inside it delays every other writer)
_HEAVY = ("edition__model_yaml", "edition__computed_inputs", "edition__bundle", "edition__reference_json",
          "edition__regions")


_OWN_FIELDS = tuple(f.name for f in Submission._meta.concrete_fields)


class StaleState(Exception):
    """The submission is no longer in the state the request was made for (someone else acted)."""


def _locked_submission(sub: Submission) -> Submission:
    """The submission's row, locked; its edition the object the caller holds when it has one (the
    checks use the state read under the edition's lock, the edition object only names it)."""
    edition = sub._state.fields_cache.get("edition")
    if edition is not None:
        cur = Submission.objects.select_for_update().get(pk=sub.pk)
        cur.edition = edition
        return cur
    # of=("self",): the submission's row only (FOR UPDATE would otherwise lock the joined edition row
    # too, and every save of the edition would wait for the one before it)
    return (Submission.objects.select_for_update(of=("self",)).select_related("edition").defer(*_HEAVY)
            .get(pk=sub.pk))


def _locked(sub: Submission):
    """(the edition's state, the submission) under the edition's shared lock and the submission's
    row lock.  SQLite: the transaction already holds the whole database, and one statement reads
    both (each statement inside the write lock is a turn of the GIL for the thread holding it)."""
    if connection.vendor == "postgresql":
        return lock_shared(sub.edition_id), _locked_submission(sub)
    cur = (Submission.objects.select_related("edition")
           .only(*_OWN_FIELDS, *(f"edition__{f}" for f in STATE_FIELDS)).get(pk=sub.pk))
    ed = cur.edition
    held = sub._state.fields_cache.get("edition")
    if held is not None:
        cur.edition = held
    return ed, cur


def lock_for_entry(sub: Submission) -> Submission:
    """The submission locked for writing values; PermissionDenied when entry has closed meanwhile.
    Call inside transaction.atomic()."""
    ed, cur = _locked(sub)
    if ed.status != Status.COLLECTING or not cur.editable or not collection_open(ed):
        raise PermissionDenied("submission not open for entry")
    return cur


def lock_for_verification(sub: Submission) -> Submission:
    """The submission locked for approve/return; StaleState when it is no longer submitted."""
    ed, cur = _locked(sub)
    if ed.status not in (Status.COLLECTING, Status.VERIFYING):
        raise PermissionDenied("edition not in collection or verification")
    if cur.status != S.SUBMITTED:
        raise StaleState(cur.status)
    return cur


def verify(sub: Submission, user, action: str, comment: str, bulk: int | None = None) -> Submission:
    """Approve (``action="approve"``) or return a submitted submission with ``comment``, under the
    row lock, with its audit entry; StaleState when someone else handled it meanwhile."""
    with transaction.atomic():
        cur = lock_for_verification(sub)
        old = cur.status
        cur.status = S.VERIFIED if action == "approve" else S.RETURNED
        cur.comment = comment
        cur.save(update_fields=["status", "comment", "updated_at"])
        data = {"old": old, "new": cur.status, "reason": comment}
        if bulk is not None:
            data["bulk"] = bulk
        cur.log_action("rawan.submission.approved" if action == "approve" else "rawan.submission.returned",
                       user=user, data=data)
        if action != "approve":  # the operators are told (inbox + e-mail), once the return is committed
            from ..warnings.services import submission_returned

            transaction.on_commit(lambda: submission_returned(cur))
    return cur


def diff(old: dict, new: dict) -> dict:
    """{key: [old, new]} of every key whose value differs (missing counts as None / empty)."""
    return {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}
