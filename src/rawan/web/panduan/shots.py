"""The screenshots of the Panduan: what each one shows, who is logged in, and which ``data-panduan``
elements must be on that page (the screenshot script fails when one is missing).

No browser here: :mod:`rawan.web.panduan.screenshots` takes them (``make panduan``); the chapters show
them with ``{% shot "name" %}``.  The pictures are committed in ``static/rawan/panduan/`` (package
data, so a wheel ships them) and show the Indonesian interface.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "static" / "rawan" / "panduan"
TRAIN = "contoh-latihan-2026"  # the demo edition in data collection
JAMBI = "contoh-ikp-2024-jambi"  # the demo edition published with its bundle
TPS = "contoh-tps-pengumpulan-2026"  # the demo TPS-rawan edition in collection (web/tps/demo.py)


@dataclass(frozen=True)
class Shot:
    name: str
    user: str | None  # demo username, None = not logged in
    path: str
    refs: tuple[str, ...]  # data-panduan values that must be on the page
    caption_id: str
    caption_en: str
    focus: str = ""  # the ref scrolled into view and outlined ("" = top of the page)
    steps: tuple[tuple[str, str, str], ...] = field(default=())  # ("fill"|"click", css selector, value)

    def caption(self, lang: str) -> str:
        return self.caption_en if lang == "en" else self.caption_id


SHOTS: tuple[Shot, ...] = (
    Shot("admin-beranda", "admin.provinsi", "/", ("edisi-baru", "kelola-pengguna", "bantuan"),
         "Beranda admin provinsi: Edisi baru dan Pengguna di atas daftar edisi; Bantuan di kepala halaman.",
         "The province admin's home page: New edition and Users above the editions; Help in the header.",
         "edisi-baru"),
    Shot("admin-edisi-baru", "admin.provinsi", "/edisi/baru/", ("form-edisi-baru",),
         "Membuat edisi baru: model, tingkat wilayah, cakupan dan jendela pengumpulan.",
         "Creating an edition: model, region level, scope and collection window.", "form-edisi-baru"),
    Shot("admin-pengguna", "admin.provinsi", "/pengguna/", ("pengguna-baru", "reset-sandi", "nonaktifkan"),
         "Pengguna: buat pengguna baru dengan peran dan wilayah, atur ulang kata sandi, nonaktifkan.",
         "Users: create a user with a role and region, reset a password, deactivate.", "pengguna-baru"),
    Shot("admin-kelola", "admin.provinsi", f"/e/{TRAIN}/kelola/",
         ("ubah-status", "hitung-pratinjau", "buka-pengaturan", "ekspor-audit"),
         "Kelola edisi: status, hitung pratinjau dari data terverifikasi, pengaturan dan log audit.",
         "Manage edition: status, compute a preview from verified data, settings and the audit log.", "ubah-status"),
    Shot("admin-terbit", "admin.provinsi", f"/e/{JAMBI}/kelola/", ("mulai-koreksi",),
         "Edisi yang sudah terbit: koreksi dibuat sebagai versi baru.",
         "A published edition: a correction becomes a new version.", "mulai-koreksi"),
    Shot("admin-mitigasi", "admin.provinsi", f"/e/{JAMBI}/mitigasi/",
         ("tindakan-tambah", "rekomendasi-tambah", "rekomendasi-massal"),
         "Register mitigasi: tindakan Bawaslu dan rekomendasi kepada lembaga lain, dengan ringkasannya.",
         "The mitigation register: Bawaslu's actions and recommendations to other organisations, at a glance."),
    Shot("admin-tps", "admin.provinsi", f"/tps/{TPS}/pengawasan/", ("tps-buka", "tps-tutup", "tps-desa-status"),
         "Pengumpulan TPS rawan: pelaporan per kecamatan, desa menurut status, dan jendela pengumpulan.",
         "TPS-rawan collection: reporting per kecamatan, desa by status, and the collection window.", "tps-buka"),
    Shot("operator-daftar", "operator.kerinci", f"/e/{TRAIN}/entri/",
         ("unduh-templat", "unggah-berkas", "filter-status", "daftar-wilayah"),
         "Daftar entri operator: templat Excel, unggah berkas, dan status setiap wilayah.",
         "The operator's entry list: the Excel template, upload, and each region's status.", "unduh-templat"),
    Shot("operator-formulir", "operator.kerinci", f"/e/{TRAIN}/entri/15.01/",
         ("status-isian", "bagian-formulir", "simpan-draf", "kirim-isian"),
         "Formulir isian satu kab/kota: status, bagian formulir, nilai dengan sumbernya.",
         "The entry form of one kab/kota: status, sections, values with their sources.", "status-isian"),
    Shot("operator-kesalahan", "operator.kerinci", f"/e/{TRAIN}/entri/15.01/",
         ("ringkasan-kesalahan",),
         "Nilai yang salah: ringkasan kesalahan di atas formulir, dengan tautan ke kolomnya.",
         "A wrong value: the error summary above the form links to its field.", "ringkasan-kesalahan",
         steps=(("fill", "input[id^=v_]", "dua belas"), ("click", "[data-panduan=simpan-draf]", ""))),
    Shot("operator-kejadian", "operator.kerinci", f"/e/{TRAIN}/entri/15.01/", ("catat-kejadian", "riwayat"),
         "Mencatat kejadian: indikator, tingkat, tanggal, tempat dan sumber.",
         "Recording an event: indicator, severity, date, place and source.", "catat-kejadian"),
    Shot("operator-unggah", "operator.kerinci", f"/e/{TRAIN}/entri/unggah/", ("pilih-berkas",),
         "Mengunggah templat yang sudah diisi.", "Uploading a filled-in template.", "pilih-berkas"),
    Shot("verifikator-antrean", "verifikator", f"/e/{TRAIN}/entri/?status=submitted",
         ("verifikasi-massal", "filter-status", "daftar-wilayah"),
         "Antrean verifikasi: saring 'Diajukan', centang wilayah, setujui atau kembalikan dengan komentar.",
         "The verification queue: filter 'Submitted', tick regions, approve or return with a comment.",
         "verifikasi-massal"),
    Shot("verifikator-periksa", "verifikator", f"/e/{TRAIN}/entri/15.71/",
         ("panel-verifikasi", "setujui", "kembalikan"),
         "Memeriksa satu isian: komentar wajib bila mengembalikan.",
         "Checking one submission: a comment is required when returning.", "panel-verifikasi"),
    Shot("verifikator-kejadian-terbit", "verifikator", f"/e/{JAMBI}/kejadian-terkini/",
         ("kejadian-verifikasi", "kejadian-tolak"),
         "Kejadian sesudah terbit: verifikasi atau tolak setiap kejadian yang dilaporkan.",
         "Events after publication: verify or reject each reported event.", "kejadian-verifikasi"),
    Shot("pemantau-tindak-lanjut", "pemantau", f"/e/{JAMBI}/mitigasi/", ("tindak-lanjut-isi",),
         "Rekomendasi Bawaslu kepada lembaga pemantau (di sini Polda Jambi) dan tindak lanjut yang dilaporkannya.",
         "Bawaslu's recommendations to the viewer's organisation (here Polda Jambi) and the follow-up it reports.",
         "tindak-lanjut-isi"),
    Shot("pkd-desa", "pkd.demo", f"/tps/{TPS}/desa/15.01.01.2001/", ("tps-tidak-ada",),
         "Halaman desa PKD: setiap TPS dengan alamat, DPT dan statusnya.",
         "The PKD's desa page: every TPS with its address, DPT and status."),
    Shot("pkd-daftar-periksa", "pkd.demo", f"/tps/{TPS}/desa/15.01.01.2001/tps/1/", ("tps-simpan",),
         "Daftar periksa satu TPS: centang yang terjadi, catatan untuk setiap \u201cya\u201d.",
         "The checklist of one TPS: tick what applies, a note for each \u201cyes\u201d."),
    Shot("panwascam-pengawasan", "panwascam.demo", f"/tps/{TPS}/pengawasan/", ("tps-desa-status",),
         "Pengawasan Panwascam: berapa desa sudah melapor, dan daftar desa menurut status.",
         "The Panwascam's supervision: how many desa have reported, and the desa by status."),
    Shot("publik-peta", None, f"/e/{JAMBI}/", ("peta", "jumlah-kategori", "pilih-dimensi", "tab-peringkat"),
         "Peta edisi: warna = kategori; pilih dimensi untuk peta per dimensi.",
         "The edition map: colour = category; choose a dimension for its own map.", "pilih-dimensi"),
    Shot("publik-peringkat", None, f"/e/{JAMBI}/peringkat/", ("tabel-peringkat", "unduhan"),
         "Peringkat: 1 = paling rawan, dengan skor per dimensi.",
         "The ranking: 1 = most vulnerable, with the score of each dimension.", "tabel-peringkat"),
    Shot("publik-wilayah", None, f"/e/{JAMBI}/wilayah/15.01/",
         ("skor-wilayah", "rincian-dimensi", "pendorong-utama"),
         "Halaman wilayah: skor, kategori, peringkat, rincian dimensi dan pendorong utama.",
         "A region page: score, category, rank, dimension breakdown and top drivers.", "skor-wilayah"),
    Shot("publik-unduhan", None, f"/e/{JAMBI}/", ("unduhan", "sumber-data"),
         "Unduhan: CSV, XLSX, GeoJSON, laporan dan bundel yang dapat direproduksi.",
         "Downloads: CSV, XLSX, GeoJSON, the report and the reproducible bundle.", "unduhan"),
)
BY_NAME = {s.name: s for s in SHOTS}


@lru_cache(maxsize=None)
def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (no image library needed to serve the page)."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])
