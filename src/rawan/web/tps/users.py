"""Many PKD (or Panwascam) accounts at once from a CSV file, one per desa: all or nothing, every
problem named with its row and column, the one-time passwords shown once as a printable list."""

from __future__ import annotations

import csv
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..access import require_admin
from ..accounts.manage import USERNAME_CHARS
from ..accounts.models import Profile, Role
from ..accounts.scope import ROLE_LEVEL, region_name
from ..audit.models import log_action

MAX_ROWS = 20000
MAX_BYTES = 1024 * 1024


def username_for(code: str, role: str) -> str:
    return f"{role}.{code.replace('.', '')}"


def parse_users(name: str, data: bytes) -> tuple[list[dict], list[str]]:
    """Rows {username, role, region, region_name, organisation} and the problems (file, row, column)."""
    problems: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("%(f)s: not a UTF-8 text file.") % {"f": name}]
    sample = text[:2048]
    delim = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delim)
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    code_col = next((c for c in ("kode_desa", "kode", "desa", "code", "kode_wilayah") if c in fields), None)
    if code_col is None:
        return [], [_("%(f)s: no column kode_desa (the desa/kelurahan code, e.g. 15.01.01.2001).") % {"f": name}]
    rows, seen_user, seen_region = [], {}, {}
    User = get_user_model()
    for n, raw in enumerate(reader, start=2):
        if n - 1 > MAX_ROWS:
            problems.append(_("%(f)s: more than %(n)d rows.") % {"f": name, "n": MAX_ROWS})
            break
        code = (raw.get(code_col) or "").strip()
        if not code and not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue  # an empty line
        role = (raw.get("peran") or raw.get("role") or Role.PKD).strip().lower()
        where = _("%(f)s, row %(r)d") % {"f": name, "r": n}
        if role not in (Role.PKD, Role.PANWASCAM):
            problems.append(_("%(w)s, column peran: “%(v)s” — only pkd or panwascam.") % {"w": where, "v": role[:30]})
            continue
        level = ROLE_LEVEL[Role(role)]
        rname = region_name(code, level)
        if rname is None:
            problems.append(_("%(w)s, column %(c)s: “%(v)s” is not a %(level)s code.")
                            % {"w": where, "c": code_col, "v": code[:40], "level": level.replace("_", "/")})
            continue
        username = (raw.get("username") or raw.get("nama_pengguna") or "").strip().lower() or username_for(code, role)
        if not set(username) <= USERNAME_CHARS or len(username) > 150:
            problems.append(_("%(w)s, column username: “%(v)s” — letters, digits, dots, dashes or underscores.")
                            % {"w": where, "v": username[:40]})
            continue
        if username in seen_user:
            problems.append(_("%(w)s: the username %(u)s repeats row %(r)d.") % {"w": where, "u": username, "r": seen_user[username]})
            continue
        key = (role, code)
        if key in seen_region:
            problems.append(_("%(w)s: %(code)s has a %(role)s already in row %(r)d (one per desa).")
                            % {"w": where, "code": code, "role": role, "r": seen_region[key]})
            continue
        seen_user[username], seen_region[key] = n, n
        rows.append({"username": username, "role": role, "region": code, "region_name": rname,
                     "organisation": (raw.get("nama") or raw.get("organisasi") or "").strip()[:200], "row": n})
    taken = set(User.objects.filter(username__in=[r["username"] for r in rows]).values_list("username", flat=True))
    for r in rows:
        if r["username"] in taken:
            problems.append(_("%(f)s, row %(r)d: the user %(u)s exists already.") % {"f": name, "r": r["row"], "u": r["username"]})
    have = set(Profile.objects.filter(role=Role.PKD, region_code__in=[r["region"] for r in rows if r["role"] == Role.PKD])
               .values_list("region_code", flat=True))
    for r in rows:
        if r["role"] == Role.PKD and r["region"] in have:
            problems.append(_("%(f)s, row %(r)d: %(code)s has a PKD account already.") % {"f": name, "r": r["row"], "code": r["region"]})
    if not rows and not problems:
        problems.append(_("%(f)s: no rows.") % {"f": name})
    return rows, problems


def create_users(rows: list[dict], by=None, filename: str = "") -> list[dict]:
    """Create every account (all or nothing); returns the rows with their one-time passwords."""
    from django.contrib.auth.hashers import make_password

    from .models import OneTimePassword
    from .onetime import new_onetime

    User = get_user_model()
    out = []
    with transaction.atomic():
        users = User.objects.bulk_create([User(username=r["username"], password=make_password(None)) for r in rows])
        users = dict(User.objects.filter(username__in=[r["username"] for r in rows]).values_list("username", "id"))
        Profile.objects.bulk_create([Profile(user_id=users[r["username"]], role=r["role"], region_code=r["region"],
                                             organisation=r["organisation"]) for r in rows])
        otps = []
        for r in rows:
            pw, digest = new_onetime()
            otps.append(OneTimePassword(user_id=users[r["username"]], digest=digest))
            out.append({**r, "password": pw})
        OneTimePassword.objects.bulk_create(otps)
        log_action("rawan.tps.users", user=by, data={"file": filename[:200], "created": len(out),
                                                     "usernames": [r["username"] for r in out][:2000]})
    return out


def printable_list(created: list[dict], *, made: str = "") -> str:
    """The one-time password list as a standalone printable HTML page (the web page's table, no site
    around it, nothing fetched): what ``rawan web create-users --out list.html`` writes."""
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    return render_to_string("rawan/tps/users_print.html", {
        "created": created, "title": _("PKD accounts from a CSV file"), "made": made,
        "lang": (get_language() or "id")[:2]})


def create_users_from_file(path, *, by=None, write=None) -> tuple[list[dict], list[str]]:
    """``parse_users`` then ``create_users`` for a file on disk, all or nothing: (created rows, problems).

    Nothing is created when there is a problem; ``write(created)`` (e.g. writing the printable list)
    runs inside the same transaction, so a list that cannot be written leaves no account behind."""
    from pathlib import Path

    path = Path(path)
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        return [], [_("%(f)s: larger than 1 MB.") % {"f": path.name}]
    rows, problems = parse_users(path.name, data)
    if problems:
        return [], problems
    with transaction.atomic():
        created = create_users(rows, by=by, filename=path.name)
        if write is not None:
            write(created)
    return created, []


@never_cache
@login_required
def bulk_users(request):
    require_admin(request.user)
    problems, created = [], None
    if request.method == "POST":
        f = request.FILES.get("file")
        if f is None:
            problems = [_("Choose a CSV file.")]
        elif f.size > MAX_BYTES:
            problems = [_("%(f)s: larger than 1 MB.") % {"f": f.name}]
        else:
            rows, problems = parse_users(f.name, f.read())
            if not problems:
                created = create_users(rows, by=request.user, filename=f.name)
    return render(request, "rawan/tps/users_bulk.html", {"problems": problems, "created": created,
                                                         "title": _("PKD accounts from a CSV file")},
                  status=400 if problems else 200)
