"""Every audit action code, registered in one place with its description (Indonesian, English).

``log_action`` refuses a code that is not listed here, so the log stays a closed vocabulary.
"""

ACTIONS: dict[str, tuple[str, str]] = {
    "rawan.user.login": ("Masuk", "Logged in"),
    "rawan.user.login_failed": ("Gagal masuk", "Failed login"),
    "rawan.user.locked": ("Akun dikunci sementara", "Account locked for a while"),
    "rawan.user.login_refused": ("Upaya masuk ditolak (terkunci)", "Login attempt refused (locked)"),
    "rawan.user.created": ("Pengguna dibuat", "User created"),
    "rawan.user.deactivated": ("Pengguna dinonaktifkan", "User deactivated"),
    "rawan.user.reactivated": ("Pengguna diaktifkan kembali", "User reactivated"),
    "rawan.user.password_reset": ("Kata sandi pengguna disetel ulang", "User password reset"),
    "rawan.request.refused": ("Permintaan ditolak", "Request refused"),
    "rawan.token.created": ("Token API dibuat", "API token created"),
    "rawan.token.revoked": ("Token API dicabut", "API token revoked"),
    "rawan.edition.created": ("Edisi dibuat", "Edition created"),
    "rawan.edition.settings": ("Pengaturan edisi diubah", "Edition settings changed"),
    "rawan.edition.status": ("Status edisi diubah", "Edition status changed"),
    "rawan.edition.computed": ("Hasil dihitung (pratinjau)", "Results computed (preview)"),
    "rawan.edition.published": ("Edisi diterbitkan", "Edition published"),
    "rawan.edition.correction": ("Versi koreksi dibuat", "Correction version created"),
    "rawan.submission.saved": ("Draf disimpan", "Draft saved"),
    "rawan.submission.imported": ("Nilai diimpor dari berkas", "Values imported from a file"),
    "rawan.submission.submitted": ("Diajukan untuk verifikasi", "Submitted for verification"),
    "rawan.submission.approved": ("Disetujui verifikator", "Approved by the verifier"),
    "rawan.submission.returned": ("Dikembalikan dengan catatan", "Returned with a comment"),
    "rawan.submission.reopened": ("Dibuka kembali untuk koreksi", "Reopened for a correction"),
    "rawan.event.added": ("Kejadian dicatat", "Event recorded"),
    "rawan.event.applied": ("Nilai diisi dari catatan kejadian", "Values filled from event records"),
    "rawan.event.deleted": ("Catatan kejadian dihapus", "Event record deleted"),
    "rawan.results.loaded": ("Hasil terbit dimuat", "Published results loaded"),
    "rawan.event.reported": ("Kejadian sesudah terbit dilaporkan", "Event after publication reported"),
    "rawan.event.imported": ("Kejadian sesudah terbit diimpor dari berkas", "Events after publication imported"),
    "rawan.event.verified": ("Kejadian diverifikasi", "Event verified"),
    "rawan.event.rejected": ("Kejadian ditolak dengan alasan", "Event rejected with a reason"),
    "rawan.rules.changed": ("Aturan peringatan diubah", "Early-warning rules changed"),
    "rawan.rules.frozen": ("Aturan peringatan dibekukan", "Early-warning rules frozen"),
    "rawan.alert.raised": ("Peringatan muncul", "Alert raised"),
    "rawan.alert.status": ("Status peringatan diubah", "Alert status changed"),
    "rawan.action.created": ("Tindakan Bawaslu dibuat", "Bawaslu action created"),
    "rawan.action.updated": ("Tindakan Bawaslu diubah", "Bawaslu action updated"),
    "rawan.recommendation.created": ("Rekomendasi dibuat", "Recommendation created"),
    "rawan.recommendation.sent": ("Rekomendasi dikirim", "Recommendation sent"),
    "rawan.recommendation.withdrawn": ("Rekomendasi ditarik", "Recommendation withdrawn"),
    "rawan.followup.added": ("Tindak lanjut dilaporkan", "Follow-up reported"),
    "rawan.webhook.changed": ("Webhook organisasi diubah", "Organisation webhook changed"),
    "rawan.tps.conflict": ("Konflik daftar periksa TPS (versi lama)", "TPS checklist conflict (older version)"),
    "rawan.tps.resolved": ("Konflik daftar periksa TPS diputuskan", "TPS checklist conflict decided"),
    "rawan.tps.none": ("Desa melapor: tidak ada kerawanan", "Desa reported: no vulnerability"),
    "rawan.tps.returned": ("Laporan desa dikembalikan dengan catatan", "Desa report returned with a comment"),
    "rawan.tps.window": ("Jendela pengumpulan TPS diubah", "TPS collection window changed"),
    "rawan.tps.book": ("Buku edisi yang memuat bab TPS diubah", "Edition book carrying the TPS chapter changed"),
    "rawan.tps.users": ("Pengguna dibuat dari berkas CSV", "Users created from a CSV file"),
}


def describe(code: str, lang: str = "id") -> str:
    id_, en = ACTIONS[code]
    return en if lang == "en" else id_
