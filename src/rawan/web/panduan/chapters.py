"""The chapters of the Panduan, which role reads which, and where each page's "Bantuan" link goes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Chapter:
    slug: str
    title_id: str
    title_en: str
    roles: tuple[str, ...]  # role codes (docs roles.md); "public" = not logged in
    summary_id: str
    summary_en: str
    # URL name of a page -> id of the section of this chapter about it (the "Bantuan" target)
    pages: dict[str, str] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_id

    def summary(self, lang: str) -> str:
        return self.summary_en if lang == "en" else self.summary_id


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("admin", "Admin provinsi", "Province administrator", ("admin",),
            "Membuka edisi, mengelola pengguna dan jendela pengumpulan, memantau verifikasi, menerbitkan, "
            "membuat koreksi, dan buku pemetaan.",
            "Opening an edition, users and collection windows, following verification, publishing, "
            "corrections and the mapping book.",
            {"home": "mulai", "edition_new": "edisi-baru", "users": "pengguna", "region_search": "pengguna",
             "user_action": "pengguna", "edition_settings": "jendela", "manage": "status",
             "manage_confirm": "terbitkan", "entry_list": "verifikasi", "edition": "buku",
             "ranking": "buku", "region": "buku", "edition_audit_csv": "audit", "region_audit": "audit",
             # early warning and mitigation (web/warnings, web/mitigation)
             "inbox": "peringatan",
             "live_view": "peringatan",
             "live_region": "peringatan",
             "live_events": "peringatan",
             "add_live_event": "peringatan",
             "import_live_events": "peringatan",
             "review_live_event": "peringatan",
             "alerts": "peringatan",
             "alert": "peringatan",
             "rules": "peringatan",
             "register": "peringatan",
             "new_action": "peringatan",
             "recommendation": "peringatan",
             "new_recommendation": "peringatan",
             "bulk_recommendations": "peringatan",
             "after_vote": "peringatan",
             # TPS rawan (web/tps)
             "tps_users_bulk": "tps", "tps_supervision": "tps", "tps_window": "tps", "tps_resolve": "tps",
             "tps_home": "tps", "tps_edition": "tps", "tps_map": "tps", "tps_press": "tps",
             "jobs": "tugas", "job": "tugas", "job_retry": "tugas", "organisations": "peringatan"}),
    Chapter("operator", "Operator kab/kota", "Kab/kota operator", ("operator",),
            "Mengisi formulir, mengunggah Excel, mencatat kejadian, dan membaca pesan kesalahan.",
            "Filling in the form, uploading Excel, recording events and reading an error message.",
            {"home": "mulai", "entry_list": "daftar", "entry_form": "formulir", "entry_upload": "unggah",
             "entry_template": "unggah", "add_event": "kejadian", "apply_events": "kejadian",
             "delete_event": "kejadian", "region_audit": "riwayat", "live_view": "kejadian-terbit",
             "live_region": "kejadian-terbit", "live_events": "kejadian-terbit", "add_live_event": "kejadian-terbit",
             "import_live_events": "kejadian-terbit"}),
    Chapter("verifikator", "Verifikator", "Verifier", ("verifier",),
            "Antrean verifikasi, mengembalikan isian dengan komentar, dan menyetujui.",
            "The verification queue, returning a submission with a comment, and approving.",
            {"home": "mulai", "entry_list": "antrean", "verify_bulk": "antrean", "entry_form": "periksa",
             "verify": "periksa", "region_audit": "periksa", "edition_audit_csv": "periksa",
             "live_view": "kejadian-terbit", "live_events": "kejadian-terbit", "review_live_event": "kejadian-terbit",
             "inbox": "kejadian-terbit", "alerts": "kejadian-terbit", "alert": "kejadian-terbit"}),
    Chapter("pengawas-desa", "PKD dan Panwascam", "PKD and Panwascam", ("pkd", "panwascam"),
            "Daftar periksa TPS, bekerja tanpa sinyal, dan (Panwascam) memeriksa desa yang sudah melapor.",
            "The TPS checklist, working offline, and (Panwascam) checking which desa have reported.",
            {"home": "mulai", "set_own_password": "mulai", "tps_home": "desa", "tps_edition": "desa",
             "tps_desa": "desa", "tps_checklist": "daftar-periksa", "tps_none": "tidak-ada",
             "tps_supervision": "pengawasan", "tps_return": "pengawasan", "tps_resolve": "konflik",
             "live_events": "kejadian", "add_live_event": "kejadian", "import_live_events": "kejadian"}),
    Chapter("pemantau", "Pemantau dan pemangku kepentingan", "Monitors and stakeholders", ("viewer",),
            "Membaca peta, peringkat dan kestabilan hasil, mengunduh data, dan tindak lanjut lembaga Anda.",
            "Reading the map, the ranking and how firm a result is, downloads, and your organisation's "
            "follow-up.",
            {"home": "mulai", "edition": "peta", "ranking": "peringkat", "region": "wilayah",
             "compare": "bandingkan", "download_csv": "unduhan", "tokens": "unduhan", "live_view": "tindakan",
             "live_region": "tindakan", "live_events": "tindakan", "register": "tindakan", "recommendation": "tindakan",
             "api_docs": "unduhan", "tps_home": "tps", "tps_edition": "tps", "tps_map": "tps"}),
    Chapter("jurnalis", "Jurnalis dan publik", "Journalists and the public", ("public",),
            "Apa arti sebuah kategori dan apa yang tidak, dan cara mengutip data.",
            "What a category means and does not mean, and how to cite the data.",
            {"home": "mulai", "edition": "kategori", "ranking": "kategori", "region": "kategori",
             "compare": "mengutip", "login": "mulai", "tps_home": "bukan", "tps_edition": "bukan", "tps_map": "bukan"}),
)
BY_SLUG = {c.slug: c for c in CHAPTERS}
GLOSSARY_SLUG = "istilah"


def chapter_for(role: str) -> Chapter:
    for c in CHAPTERS:
        if role in c.roles:
            return c
    return BY_SLUG["jurnalis"]


def help_target(role: str, url_name: str | None) -> tuple[Chapter, str]:
    """The chapter for this role and the section id about the page ``url_name`` ("" = the top)."""
    chapter = chapter_for(role)
    return chapter, chapter.pages.get(url_name or "", "")
