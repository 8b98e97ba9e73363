"""The TPS an event, action or recommendation names, looked up in the TPS registry (rawan.web.tps).

The form's TPS field takes the TPS number as KPU writes it ("TPS 003", "003", "3") with a desa code
as the place, or ``<desa code>/<number>``; the link is to the station of the newest TPS edition
that lists that desa and number.  Without a match the text is kept as typed, unlinked.
"""

from __future__ import annotations

import re

_NUM = re.compile(r"^(?:tps\s*)?0*(\d{1,4})$", re.I)


def parse(place: str, text: str) -> tuple[str, int] | None:
    text = (text or "").strip()
    if "/" in text:
        desa, _s, num = text.rpartition("/")
        place, text = desa.strip(), num.strip()
    m = _NUM.match(text)
    if not m or place.count(".") != 3:
        return None
    return place, int(m.group(1))


def find(place: str, text: str):
    """The TpsStation, or None."""
    try:
        from ..tps.models import TpsStation
    except ImportError:  # pragma: no cover - the TPS app is part of the web app
        return None
    key = parse(place, text)
    if key is None:
        return None
    return (TpsStation.objects.filter(desa_code=key[0], number=key[1])
            .order_by("-edition__edition__created_at").first())


def rawan_stations(edition, visible=lambda code: True, limit: int = 200):
    """TPS with at least one checklist answer "ya", of the newest TPS edition covering the
    edition's scope (a synthetic one only for a synthetic edition): [(station, label)], at most
    ``limit``."""
    from ..tps.models import TpsEdition, TpsStation

    scope = edition.scope_code
    eds = TpsEdition.objects.filter(stations__kabkota_code__startswith=scope.split(".")[0])
    if not edition.synthetic:  # a real edition's register never counts DATA CONTOH stations
        eds = eds.filter(edition__synthetic=False)
    tps_ed = eds.order_by("-edition__created_at").first()
    if tps_ed is None:
        return None, []
    out = []
    for st in TpsStation.objects.filter(edition=tps_ed).exclude(answers=[]).order_by("desa_code", "number")[:5000]:
        if st.answers and visible(st.desa_code):
            out.append(st)
            if len(out) >= limit:
                break
    return tps_ed, out
