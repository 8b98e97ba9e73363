"""What every command shares: the consoles, the message language, messages, number formatting, the banner.

Kept light (no engine import at module level) so that ``rawan --help`` starts quickly.
"""

from __future__ import annotations

import math
import os

from rich.console import Console

from ..vocabulary import category_label, synthetic_note

UI = {
    "id": {
        "error": "Kesalahan",
        "internal": "Kesalahan internal (jalankan ulang dengan --debug untuk rinciannya)",
        "wrote": "Ditulis: {path} ({n} wilayah)",
        "model_ok": "Model {id} versi {version} sah: {ind} indikator, {agg} agregat, {lv} tingkat.",
        "data_ok": "Data {file} cocok dengan model: {n} wilayah.",
        "assumptions": "Asumsi",
        "region": "Wilayah", "score": "Skor", "rank": "Peringkat", "category": "Kategori",
        "completeness": "Kelengkapan", "weight": "bobot", "direction": "arah",
        "dims": "Rincian", "drivers": "Pendorong utama (kontribusi ke indeks)",
        "to_up": "Naik ke {label} bila skor bertambah {gap} poin (batas {cut}).",
        "to_down": "Turun ke {label} bila skor berkurang lebih dari {gap} poin (batas {cut}).",
        "top_class": "Sudah di kategori tertinggi.",
        "no_category": "Tidak ada aturan kategori untuk tingkat wilayah ini.",
        "contrib": "kontribusi", "indicator": "Indikator", "value": "Nilai",
        "recipe": "Resep",
        "demo_written": "Data contoh ditulis ke {out}:",
        "no_kecamatan": "Daftar wilayah (jambi-wilayah.csv) tidak ditemukan: hanya data kab/kota yang dibuat.",
        "warning": "Peringatan",
        "effective": "bobot efektif",
        "code": "kode",
        "codes_note": "Kode (mis. {ind} atau {agg}) adalah judul kolom di berkas data dan nama yang diketik pada perintah.",
        "model_line": "model {id}, versi {version}",
        "reversed": "arah terbalik (nilai tinggi = kurang rawan)",
        "kind_count": "hitungan", "kind_binary": "ya/tidak", "kind_rate": "laju", "kind_score": "skor",
        "see_assumptions": "asumsi rawan, lihat Asumsi di bawah",
        "weights_at_levels": "Bobot relatif terhadap saudara di setiap tingkat; bobot efektif indikator {lo}–{hi}.",
        "weights_at_indicators": "Bobot ditetapkan per indikator (setiap agregat = jumlah indikator di bawahnya); bobot efektif indikator {lo}–{hi}.",
        "reference_saved": "Referensi disimpan: {path} ({n} wilayah); pakai lagi dengan --reference {path}",
        "rank_both": "{rank}/{n} di tabel ini · {ref_rank}/{ref} dalam referensi",
        "rests_on": "Hasil ini bertumpu pada {n} asumsi model rawan, bukan metode Bawaslu. Lihat: rawan model show {model}",
        "renamed": "Opsi {old} sudah diganti dan akan dihapus pada rilis berikutnya; pakai {new}.",
        "regions_dir": "--regions {dir} kini hanya daftar wilayah; batas wilayah dari folder itu dipakai hingga rilis berikutnya: tambahkan --boundaries {dir}.",
    },
    "en": {
        "error": "Error",
        "internal": "Internal error (run again with --debug for details)",
        "wrote": "Wrote: {path} ({n} regions)",
        "model_ok": "Model {id} version {version} is valid: {ind} indicators, {agg} aggregates, {lv} levels.",
        "data_ok": "Data {file} matches the model: {n} regions.",
        "assumptions": "Assumptions",
        "region": "Region", "score": "Score", "rank": "Rank", "category": "Category",
        "completeness": "Completeness", "weight": "weight", "direction": "direction",
        "dims": "Breakdown", "drivers": "Top drivers (contribution to the index)",
        "to_up": "Moves up to {label} if the score rises by {gap} points (cut-off {cut}).",
        "to_down": "Moves down to {label} if the score falls by more than {gap} points (cut-off {cut}).",
        "top_class": "Already in the highest category.",
        "no_category": "No category rule for this region level.",
        "contrib": "contribution", "indicator": "Indicator", "value": "Value",
        "recipe": "Recipe",
        "demo_written": "Demo data written to {out}:",
        "no_kecamatan": "Region list (jambi-wilayah.csv) not found: only the kab/kota dataset was made.",
        "warning": "Warning",
        "effective": "effective weight",
        "code": "code",
        "codes_note": "Codes (e.g. {ind} or {agg}) are the column headings of data files and the names typed in commands.",
        "model_line": "model {id}, version {version}",
        "reversed": "reversed direction (higher value = less vulnerable)",
        "kind_count": "count", "kind_binary": "yes/no", "kind_rate": "rate", "kind_score": "score",
        "see_assumptions": "a rawan assumption, see Assumptions below",
        "weights_at_levels": "Weights relative to siblings at each level; indicators' effective weights {lo}–{hi}.",
        "weights_at_indicators": "Weights set per indicator (every aggregate = the sum beneath it); indicators' effective weights {lo}–{hi}.",
        "reference_saved": "Reference saved: {path} ({n} regions); reuse it with --reference {path}",
        "rank_both": "{rank}/{n} in this table · {ref_rank}/{ref} within the reference",
        "rests_on": "This result rests on {n} rawan model assumptions, not Bawaslu's method. See: rawan model show {model}",
        "renamed": "Option {old} has been renamed and will be removed in the next release; use {new}.",
        "regions_dir": "--regions {dir} is now the region list only; the folder's boundaries are used until the next release: add --boundaries {dir}.",
    },
}


# the one default random seed of every command (the demo's: rawan.demo.DEFAULT_SEED)
DEFAULT_SEED = 2024


class State:
    lang: str = os.environ.get("RAWAN_LANG", "id")
    debug: bool = False


console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


LOCALE_HELP = ("Lokal angka untuk berkas yang tidak menyatakannya: id (titik = ribuan, koma = desimal) atau "
               "en (titik = desimal, koma = ribuan). Tanpa ini, angka seperti 1.234 dilaporkan sebagai ambigu.")


def t(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def cat_label(code: str | None, short: bool = False) -> str:
    """A category's label from rawan.vocabulary ("Rawan Tinggi", short "Tinggi"); "-" for none."""
    return category_label(code, State.lang, short=short, missing="-")


def fmt(x: float | None, nd: int = 2) -> str:
    """A number for people: decimal comma in Indonesian, point in English."""
    if x is None or math.isnan(x):
        return "-"
    s = f"{x:.{nd}f}"
    return s.replace(".", ",") if State.lang == "id" else s


def print_warnings(result) -> None:
    for w in result.warnings:
        err_console.print(f"[yellow]{t('warning')}:[/] {w.render(State.lang)}")


def print_reference(result) -> None:
    """What the result's scale and classes were computed against (said on every output)."""
    console.print(f"[dim]{result.reference.sentence(State.lang)}[/]")


def banner(synthetic: bool, spec=None) -> None:
    if synthetic:
        console.print(f"[bold reverse] {synthetic_note(State.lang)} [/]")
    if spec is not None and spec.assumptions:
        console.print(f"[dim]{t('rests_on', n=len(spec.assumptions), model=spec.id)}[/]")


def renamed(old: str, new: str) -> None:
    """Say on stderr that an option's old spelling still works for one release, naming the new one."""
    err_console.print(f"[yellow]{t('warning')}:[/] {t('renamed', old=old, new=new)}", soft_wrap=True)
