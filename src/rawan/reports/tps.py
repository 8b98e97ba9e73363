"""TPS-rawan outputs: the list for police, army and KPU (XLSX, PDF), maps and a press-release draft.

    rows = tps_list(checklist, regions, region="15.01", variable="v7")   # one row per TPS rawan
    write_tps_list(rows, "daftar.pdf", meta)                              # A4 landscape, header repeated
    svg = tps_map(counts, level="kecamatan", parent="15.01", value="share")
    text = press_release(counts, region="15", regions=regions)

Every number comes from the counts of :func:`rawan.tps.count_tps`; nothing is typed in.  The counts
are numbers of TPS, never a Bawaslu score, and the outputs say so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..engine.errors import Problem
from ..tps import BAND_LABELS, BANDS, Checklist, TpsCounts, TpsError, tps_flags, tps_label
from ..tps.counts import LEVEL_LABELS, NATION
from ..vocabulary import SYNTHETIC_COLOUR, SYNTHETIC_MARK, synthetic_note

LIST_HEAD = {
    "id": ["No", "Kab/kota", "Kecamatan", "Desa/kelurahan", "TPS", "Alamat", "DPT", "Variabel", "Indikator", "Catatan"],
    "en": ["No", "Kab/kota", "Kecamatan", "Desa/kelurahan", "TPS", "Address", "DPT", "Variables", "Indicators", "Notes"],
}
LIST_WIDTHS = [0.35, 1.1, 1.1, 1.2, 0.5, 1.7, 0.45, 1.6, 2.4, 2.4]


def fmt_int(n: int, lang: str = "id") -> str:
    s = f"{int(n):,}"
    return s.replace(",", ".") if lang == "id" else s


def fmt_pct(x: float, lang: str = "id") -> str:
    if x != x:
        return "–"
    s = f"{100 * x:.1f}"
    return (s.replace(".", ",") if lang == "id" else s) + "%"


def _name(regions, code: str, short: bool = True) -> str:
    """Short names ("Batanghari", "Kota Jambi": a kota keeps its word); full ones ("Provinsi Jambi")."""
    if code == NATION:
        return "Indonesia"
    try:
        r = regions.get(code)
    except Exception:
        return code
    if short:
        return r.name.removeprefix("Kabupaten ") if r.level == "kabupaten_kota" else r.name_short
    return f"Provinsi {r.name}" if r.level == "provinsi" and not r.name.startswith("Provinsi") else \
        f"Kecamatan {r.name}" if r.level == "kecamatan" else r.name


MONTHS = {"id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                 "November", "Desember"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]}


def fmt_date(iso: str, lang: str = "id") -> str:
    """'2024-11-27' -> '27 November 2024'."""
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {MONTHS.get(lang, MONTHS['id'])[d.month - 1]} {d.year}"


@dataclass
class TpsList:
    region: str
    region_name: str
    filter_text: str
    head: list[str]
    rows: list[list[str]]
    synthetic: bool
    model_title: str
    notes: list[str] = field(default_factory=list)


def tps_list(checklist: Checklist, regions, *, region: str, variable: str | None = None,
             indicator: str | None = None, lang: str = "id") -> TpsList:
    """The TPS rawan under ``region`` (kab/kota, kecamatan or desa), optionally only those meeting an
    indicator or a variable: one row per TPS with its variables, indicators and notes."""
    model, reg = checklist.model, checklist.registry
    flags = tps_flags(checklist)
    desa = np.asarray(reg.desa_codes, dtype="<U13")[reg.desa_index]
    inside = np.char.startswith(desa, region + ".") | (desa == region) if region != NATION else np.ones(len(desa), bool)
    keep = inside & flags.rawan
    parts = []
    if indicator:
        j = model.indicator_codes.index(model.indicator(indicator).code)
        keep &= checklist.answers[:, j]
        parts.append(f"{indicator} {model.indicator(indicator).label(lang, short=True)}")
    if variable:
        k = model.variable_codes.index(model.variable(variable).code)
        keep &= flags.variables[:, k]
        parts.append(f"{variable} {model.variable(variable).name.get(lang)}")
    filter_text = "; ".join(parts) or ("semua TPS rawan" if lang == "id" else "every TPS rawan")
    rows_idx = np.flatnonzero(keep)
    names: dict[str, str] = {}

    def nm(c):
        if c not in names:
            names[c] = _name(regions, c)
        return names[c]

    notes_by = {}
    if checklist.notes.num_rows:
        nr = checklist.notes.column("row").to_numpy()
        sel = np.isin(nr, rows_idx)
        for r, i, t in zip(nr[sel], checklist.notes.column("indicator").to_numpy()[sel],
                           np.asarray(checklist.notes.column("note").to_pylist(), dtype=object)[sel]):
            notes_by.setdefault(int(r), []).append((int(i), t))
    t = reg.table
    tps = t.column("tps").to_numpy()
    dpt = t.column("dpt").to_numpy()
    addr = t.column("address").to_pylist()
    short = [i.label(lang, short=True) for i in model.indicators]
    vnames = [v.name.get(lang) for v in model.variables]
    out = []
    for n, r in enumerate(rows_idx, start=1):
        d = desa[r]
        inds = np.flatnonzero(checklist.answers[r])
        vs = np.flatnonzero(flags.variables[r])
        note = "; ".join(f"{model.indicator_codes[i]}: {txt}" for i, txt in sorted(notes_by.get(int(r), [])))
        out.append([str(n), nm(d[:5]), nm(d[:8]), nm(d), tps_label(tps[r])[4:], addr[r] or "", fmt_int(dpt[r], lang),
                    ", ".join(vnames[k] for k in vs),
                    "; ".join(f"{model.indicator_codes[i]} {short[i]}" for i in inds), note])
    return TpsList(region, _name(regions, region, short=False), filter_text, LIST_HEAD[lang], out, reg.synthetic,
                   model.title.get(lang))


def _list_meta(lst: TpsList, lang: str, date: str | None) -> tuple[str, str, list[str]]:
    title = (f"Daftar TPS rawan — {lst.region_name}" if lang == "id" else f"TPS rawan list — {lst.region_name}")
    sub = f"{lst.model_title} · {lst.filter_text} · {fmt_int(len(lst.rows), lang)} TPS"
    notes = [("Untuk Polri, TNI dan KPU: TPS yang memenuhi sedikitnya satu indikator kerawanan TPS (jumlah TPS, "
              "bukan skor). Satu TPS dapat memenuhi beberapa indikator.") if lang == "id" else
             ("For the police, army and KPU: TPS meeting at least one TPS-vulnerability indicator (counts of TPS, "
              "not a score). One TPS can meet several indicators."),
             (f"Tanggal: {date}" if lang == "id" else f"Date: {date}") if date else ""]
    return title, sub, [n for n in notes if n]


def write_tps_list(lst: TpsList, out: Path | str, *, lang: str = "id", date: str | None = None) -> Path:
    """The list as .xlsx (one sheet, header frozen and printed on every page) or .pdf (typst, landscape)."""
    out = Path(out)
    suffix = out.suffix.lower()
    title, sub, notes = _list_meta(lst, lang, date)
    if suffix == ".pdf":
        from .pdf import typeset

        doc = {"title": title, "subtitle": sub, "notes": notes, "head": lst.head, "rows": lst.rows,
               "widths": LIST_WIDTHS, "right": [0, 4, 6], "lang": lang, "synthetic": lst.synthetic,
               "mark": SYNTHETIC_MARK, "mark_note": synthetic_note(lang), "mark_colour": SYNTHETIC_COLOUR,
               "footer": "rawan · " + (date or "")}
        pdf, _ = typeset("tps-list.typ", doc, name=out.name)
        out.write_bytes(pdf)
        return out
    if suffix != ".xlsx":
        raise TpsError(Problem("tps.out_format", {"file": out.name, "known": ".pdf, .xlsx"}))
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "TPS rawan"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([sub])
    if lst.synthetic:
        ws.append([synthetic_note(lang)])
        ws.cell(ws.max_row, 1).font = Font(bold=True, color=SYNTHETIC_COLOUR.lstrip("#"))
    for n in notes:
        ws.append([n])
    ws.append([])
    head_row = ws.max_row + 1
    ws.append(lst.head)
    for c in ws[head_row]:
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="1D3557")
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for row in lst.rows:
        vals = list(row)
        vals[0], vals[6] = int(vals[0]), int(vals[6].replace(".", "").replace(",", ""))
        ws.append(vals)
    for col, w in zip("ABCDEFGHIJ", (5, 18, 18, 20, 6, 30, 7, 28, 45, 45)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.auto_filter.ref = f"A{head_row}:J{ws.max_row}"
    wb.save(out)
    return out


# ------------------------------------------------------------------------------------ counts table

def counts_rows(counts: TpsCounts, *, level: str, within: str | None, regions, lang: str = "id") -> tuple[list[str], list[list]]:
    """(header, rows) of the counts table: region, TPS, reported, TPS rawan, share, then every indicator."""
    t = counts.to_table(level, within=within)
    model = counts.model
    head = (["Kode", "Wilayah", "TPS", "TPS melapor", "TPS rawan", "% TPS rawan"] if lang == "id" else
            ["Code", "Region", "TPS", "TPS reported", "TPS rawan", "% TPS rawan"]) + model.indicator_codes
    rows = []
    cols = {c: t.column(c).to_pylist() for c in t.column_names}
    for k, code in enumerate(cols["code"]):
        rows.append([code, _name(regions, code), cols["n_tps"][k], cols["n_tps_reported"][k], cols["tps_rawan"][k],
                     cols["share_rawan"][k]] + [cols[c][k] for c in model.indicator_codes])
    return head, rows


def indicator_summary(counts: TpsCounts, region: str, regions, *, lang: str = "id", top: int = 5) -> list[dict]:
    """Per indicator of ``region``: count, band, and the top regions one level down (largest first)."""
    rc = counts.region(region)
    bands = counts.bands(region)
    below = {"nasional": "provinsi", "provinsi": "kabupaten_kota", "kabupaten_kota": "kecamatan",
             "kecamatan": "desa_kelurahan"}.get(rc.level)
    out = []
    for j, ind in enumerate(counts.model.indicators):
        tops = counts.top(ind.code, level=below, within=region, n=top) if below else []
        out.append({"code": ind.code, "name": ind.name.get(lang), "short": ind.label(lang, short=True),
                    "variable": counts.model.variable(ind.variable).name.get(lang), "tps": int(rc.indicators[j]),
                    "band": bands[j], "top": [(_name(regions, c), n) for c, n in tops]})
    return out


# ------------------------------------------------------------------------------------------- maps

MAP_VALUES = ("jumlah", "persen")


def tps_map(counts: TpsCounts, *, level: str, parent: str | None, value: str = "jumlah", regions=None,
            boundaries=None, lang: str = "id", width: int = 800, title: str = "", points: Checklist | None = None
            ) -> str:
    """SVG map of the number (``jumlah``) or share (``persen``) of TPS rawan per region of ``level`` under
    ``parent``; with ``points``, the TPS with coordinates as dots (dark blue: TPS rawan)."""
    from ..regions import render_map

    if value not in MAP_VALUES:
        raise TpsError(Problem("tps.out_format", {"file": value, "known": ", ".join(MAP_VALUES)}))
    lc = counts.level(level)
    rows = lc.select(parent)
    vals = lc.rawan[rows].astype(float) if value == "jumlah" else 100 * lc.share[rows]
    values = {lc.codes[r]: (None if v != v else float(v)) for r, v in zip(rows, vals)}
    lvl = LEVEL_LABELS[level][lang].lower()
    if not title:
        title = ((f"Jumlah TPS rawan per {lvl}" if value == "jumlah" else f"Persentase TPS rawan per {lvl}")
                 if lang == "id" else
                 (f"Number of TPS rawan per {lvl}" if value == "jumlah" else f"Share of TPS rawan per {lvl}"))
        if parent:
            title += " — " + _name(regions, parent, short=False)
    legend = ("Jumlah TPS rawan" if value == "jumlah" else "% TPS rawan") if lang == "id" else \
        ("TPS rawan" if value == "jumlah" else "% of TPS rawan")
    subtitle = counts.model.title.get(lang) + (" · hitungan TPS, bukan skor Bawaslu" if lang == "id" else
                                                   " · counts of TPS, not a Bawaslu score")
    pts = None
    if points is not None:
        pts = _points(points, parent)
        if pts[0].size == 0:
            raise TpsError(Problem("tps.no_coordinates", {"region": parent or NATION}))
        n_all = int(np.sum(_inside(points, parent)))
        subtitle += (f" · titik biru tua: TPS rawan, abu-abu: TPS lain ({fmt_int(pts[0].size, lang)} dari "
                     f"{fmt_int(n_all, lang)} TPS berkoordinat)" if lang == "id" else
                     f" · dark blue dots: TPS rawan, grey: other TPS ({fmt_int(pts[0].size, lang)} of {fmt_int(n_all, lang)}"
                     " TPS have coordinates)")
    svg = render_map(values, level=level, mode="continuous", parent=parent, title=title, subtitle=subtitle,
                     lang=lang, synthetic=counts.synthetic, boundaries=boundaries, regions=regions, width=width,
                     legend_title=legend)
    if pts is not None:
        svg = _overlay_points(svg, *pts)
    return svg


def _inside(checklist: Checklist, parent: str | None) -> np.ndarray:
    reg = checklist.registry
    desa = np.asarray(reg.desa_codes, dtype="<U13")[reg.desa_index]
    return np.ones(len(desa), bool) if not parent else np.char.startswith(desa, parent + ".")


def _points(checklist: Checklist, parent: str | None):
    reg = checklist.registry
    lat, lon = reg.column("lat").astype(float), reg.column("lon").astype(float)
    keep = _inside(checklist, parent) & np.isfinite(lat) & np.isfinite(lon)
    rawan = tps_flags(checklist).rawan
    return lon[keep], lat[keep], rawan[keep]


def _overlay_points(svg: str, lon: np.ndarray, lat: np.ndarray, rawan: np.ndarray) -> str:
    from ..regions.svgpaths import Frame

    m = re.search(r'data-frame="([^"]+)"', svg)
    if not m:  # tile grid: no geography to put points on
        return svg
    f = Frame.from_attr(m.group(1))
    x, y = f.xy(lon, lat)
    order = np.argsort(rawan, kind="stable")  # TPS rawan drawn last, on top
    dots = []
    for i in order:
        fill, r = ("#1D3557", 2.0) if rawan[i] else ("#8C8C8C", 1.3)
        dots.append(f'<circle cx="{x[i]:.1f}" cy="{y[i]:.1f}" r="{r}" fill="{fill}" stroke="#FFFFFF" stroke-width="0.4"/>')
    group = '<g class="tps-points" pointer-events="none">' + "".join(dots) + "</g>"
    return svg.replace("</svg>", group + "</svg>")


# -------------------------------------------------------------------------------- press release

def press_release(counts: TpsCounts, *, region: str, regions, lang: str = "id", date: str | None = None,
                  publisher: str | None = None, top: int = 5) -> str:
    """A press-release draft (Markdown) in the style of Bawaslu Jambi's 23 Nov 2024 release: every
    number from ``counts`` (domain.md 5.4).  A draft: the officer edits it before release."""
    rc = counts.region(region)
    model = counts.model
    name = _name(regions, region, short=False)
    rows = indicator_summary(counts, region, regions, lang=lang, top=top)
    occurred = [r for r in rows if r["tps"] > 0]
    occurred.sort(key=lambda r: -r["tps"])
    n_band = {b: sum(1 for r in occurred if r["band"] == b) for b in BANDS}
    n_var = int(np.sum(rc.variables > 0))
    date = date or dt.date.today().isoformat()
    multi = int(rc.at_least[1]) if len(rc.at_least) > 1 else 0
    top_k = max((k for k in range(len(rc.at_least)) if rc.at_least[k] > 0), default=0)
    most = (top_k + 1, int(rc.at_least[top_k]))  # the most variables any TPS carries, and how many TPS do
    publisher = publisher or ("Bawaslu RI" if region == NATION else f"Bawaslu {name.removeprefix('Kabupaten ')}")
    vote = fmt_date(model.election.vote_date, lang)
    below = LEVEL_LABELS.get({"provinsi": "kabupaten_kota", "nasional": "provinsi", "kabupaten_kota": "kecamatan",
                              "kecamatan": "desa_kelurahan"}.get(rc.level, ""), {}).get(lang, "")
    rule = model.assumption(model.rules.bands.assumption).text.get(lang)
    i = lambda n: fmt_int(n, lang)  # noqa: E731
    lines = []
    if counts.synthetic:
        lines += [f"> **{synthetic_note(lang)}**", ""]
    if lang == "id":
        lines += [f"# DRAF SIARAN PERS — {publisher}", "",
                  f"**{publisher} Petakan {i(rc.rawan)} TPS Rawan Jelang Pemungutan Suara {model.election.name.id}**", "",
                  f"{fmt_date(date, lang)} — {publisher} memetakan kerawanan di tempat pemungutan suara (TPS) menjelang pemungutan "
                  f"suara {model.election.name.id} tanggal {vote}. Data diambil dari "
                  f"{i(rc.n_desa_reported)} kelurahan/desa yang melaporkan kerawanan TPS di wilayahnya "
                  f"({i(rc.n_reported)} dari {i(rc.n_tps)} TPS). Hasilnya, {i(rc.rawan)} TPS "
                  f"({fmt_pct(rc.share, lang)}) memenuhi sedikitnya satu indikator kerawanan, dari {n_var} variabel dan "
                  f"{len(occurred)} indikator yang terjadi.", "",
                  f"Terdapat {n_band['paling_banyak']} indikator yang paling banyak terjadi, {n_band['banyak']} indikator "
                  f"yang banyak terjadi, dan {n_band['tidak_banyak']} indikator yang tidak banyak terjadi namun tetap "
                  f"perlu diantisipasi. Satu TPS dapat memenuhi lebih dari satu indikator dan variabel kerawanan, "
                  f"sehingga jumlah per indikator tidak dapat dijumlahkan."
                  + (f" Sebanyak {i(multi)} TPS memenuhi sedikitnya dua variabel kerawanan, dan {i(most[1])} TPS "
                     f"memenuhi {most[0]} variabel sekaligus." if multi else ""), ""]
    else:
        lines += [f"# DRAFT PRESS RELEASE — {publisher}", "",
                  f"**{publisher} maps {i(rc.rawan)} vulnerable polling stations ahead of the {model.election.name.en} vote**",
                  "", f"{fmt_date(date, lang)} — {publisher} mapped vulnerabilities at polling stations (TPS) ahead of the vote on "
                  f"{vote}. The data come from {i(rc.n_desa_reported)} kelurahan/desa that reported "
                  f"({i(rc.n_reported)} of {i(rc.n_tps)} TPS). {i(rc.rawan)} TPS ({fmt_pct(rc.share, lang)}) meet at least "
                  f"one vulnerability indicator, across {n_var} variables and {len(occurred)} indicators that occurred.", "",
                  f"{n_band['paling_banyak']} indicators were most frequent, {n_band['banyak']} frequent and "
                  f"{n_band['tidak_banyak']} infrequent but still to be anticipated. One TPS can meet several indicators "
                  f"and variables, so per-indicator counts cannot be added up."
                  + (f" {i(multi)} TPS carry at least two variables, and {i(most[1])} TPS carry {most[0]} variables "
                     f"at once." if multi else ""), ""]
    for b in BANDS:
        group = [r for r in occurred if r["band"] == b]
        if not group:
            continue
        lines += [f"## {BAND_LABELS[b][lang]}", ""]
        for k, r in enumerate(group, start=1):
            where = ""
            if r["top"]:
                names = ", ".join(n for n, _ in r["top"])
                where = (f", terbanyak di {below.lower()} {names}" if lang == "id" else f", most in {names}")
            lines.append(f"{k}. {r['name']}: {i(r['tps'])} TPS{where}.")
        lines.append("")
    if lang == "id":
        lines += ["## Langkah pencegahan", "",
                  "Hasil pemetaan ini menjadi bahan bagi Bawaslu, KPU, pasangan calon, pemerintah, aparat penegak "
                  "hukum, pemantau pemilihan, media dan seluruh masyarakat, sebagai fokus pencegahan dan lokus "
                  "pengawasan. Bawaslu akan: (1) melakukan patroli pengawasan di wilayah TPS rawan; (2) berkoordinasi "
                  "dan berkonsolidasi dengan pemangku kepentingan; (3) melakukan sosialisasi dan pendidikan politik; "
                  "(4) berkolaborasi dengan pemantau pemilihan dan pengawas partisipatif; (5) membuka posko pengaduan "
                  "luring dan daring di setiap tingkatan; (6) mengawasi langsung logistik, prosedur, akurasi data "
                  "pemilih dan penggunaan hak pilih.", "",
                  "---", "",
                  f"*Catatan penyusunan (hapus sebelum dirilis): semua angka dihitung oleh rawan dari daftar periksa TPS "
                  f"({model.id} versi {model.version}). {model.rules.tps_rawan.text.id} Pengelompokan indikator: {rule}*"]
    else:
        lines += ["## Prevention", "",
                  "These results are input for Bawaslu, KPU, the candidate pairs, government, law enforcement, "
                  "election monitors, the media and the public: a prevention focus and a supervision locus. Bawaslu "
                  "will (1) patrol the areas of vulnerable TPS; (2) coordinate with stakeholders; (3) run outreach and "
                  "political education; (4) work with monitors and participatory supervisors; (5) open complaint posts "
                  "offline and online at every level; (6) directly supervise logistics, procedures, voter-list "
                  "accuracy and the use of voting rights.", "", "---", "",
                  f"*Drafting note (delete before release): every number is computed by rawan from the TPS checklists "
                  f"({model.id} version {model.version}). {model.rules.tps_rawan.text.en} Indicator bands: {rule}*"]
    return "\n".join(lines) + "\n"
