"""The users' glossary (``/panduan/istilah/``): the domain words in plain Indonesian and English.

Each entry names the row of docs/glossary.md it explains (``doc``); tests/web/test_web_panduan.py
checks that the row exists and that the English word here is the one that row uses, so the two
glossaries cannot drift apart.  Facts follow the project's domain reference (domain.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import SYNTHETIC_MARK


@dataclass(frozen=True)
class Term:
    slug: str  # the anchor: /panduan/istilah/#<slug>
    doc: str  # the term as docs/glossary.md writes it in its first column (start of the cell)
    id_word: str
    en_word: str
    id_text: str
    en_text: str

    def word(self, lang: str) -> str:
        return self.en_word if lang == "en" else self.id_word

    def text(self, lang: str) -> str:
        return self.en_text if lang == "en" else self.id_text


TERMS: tuple[Term, ...] = (
    Term("ikp", "IKP (Indeks Kerawanan Pemilu)", "IKP (Indeks Kerawanan Pemilu)", "Election Vulnerability Index (IKP)",
         "Indeks yang diterbitkan Bawaslu untuk memetakan kerawanan pemilu per provinsi dan kab/kota, dengan skor "
         "0–100: makin tinggi, makin rawan. IKP 2024 punya 4 dimensi, 12 subdimensi dan 61 indikator. Dasarnya UU "
         "7/2017 Pasal 94: Bawaslu wajib mengidentifikasi dan memetakan potensi kerawanan. Tujuannya peringatan dini "
         "dan pencegahan, bukan menghakimi daerah.",
         "The index Bawaslu publishes to map election vulnerability per province and kab/kota, scored 0–100: "
         "higher means more vulnerable. IKP 2024 has 4 dimensions, 12 sub-dimensions and 61 indicators. Its legal "
         "basis is Law 7/2017 art. 94: Bawaslu must identify and map potential vulnerabilities. It is an early "
         "warning for prevention, not a verdict on a region."),
    Term("kerawanan", "kerawanan", "kerawanan", "vulnerability",
         "Segala hal yang berpotensi mengganggu atau menghambat proses pemilu yang demokratis (definisi IKP 2024). "
         "Rawan di sini dalam konteks pemilu — kontestasi, partisipasi, penyelenggaraan — bukan keamanan dan "
         "ketertiban umum semata.",
         "Anything that may disrupt or obstruct a democratic election (the IKP 2024 definition). It is about the "
         "election — contest, participation, administration — not only public order and security."),
    Term("kategori", "rawan tinggi / sedang / rendah", "rawan tinggi / sedang / rendah", "high / medium / low vulnerability",
         "Tiga kategori skor. Sebuah wilayah masuk kategori menurut batas (cut-off) yang tertulis di model: untuk "
         "kab/kota dalam IKP 2024, tinggi mulai 49,33 dan rendah di bawah 13,47. Kategori menunjukkan di mana "
         "pengawasan dan pencegahan perlu diperkuat; ia bukan ramalan bahwa pelanggaran pasti terjadi, dan bukan "
         "penilaian atas pemerintah atau warga daerah itu.",
         "The three score categories. A region falls in a category by the cut-offs written in the model: for "
         "kab/kota in IKP 2024, high from 49.33 and low below 13.47. A category shows where supervision and "
         "prevention should be stepped up; it is not a forecast that violations will happen, nor a judgement of "
         "the region's government or people."),
    Term("dimensi", "dimensi", "dimensi", "dimension",
         "Kelompok besar indikator tepat di bawah indeks. IKP 2024: konteks sosial dan politik, penyelenggaraan "
         "pemilu, kontestasi, partisipasi. Skor per dimensi menunjukkan dari mana kerawanan sebuah wilayah datang.",
         "A large group of indicators just below the index. IKP 2024: socio-political context, election "
         "administration, contestation, participation. The score of each dimension shows where a region's "
         "vulnerability comes from."),
    Term("indikator", "indikator", "indikator", "indicator",
         "Satu hal yang diukur, biasanya jenis kejadian (misalnya politik uang) atau kondisi. Setiap indikator "
         "adalah satu kolom isian per wilayah; nilainya diisi operator dengan sumbernya.",
         "One thing measured, usually a kind of event (for example vote buying) or a condition. Each indicator is "
         "one entry field per region; the operator fills in its value with the source."),
    Term("tps-rawan", "TPS rawan", "TPS rawan", "vulnerable polling station",
         "TPS (tempat pemungutan suara) yang dilaporkan memenuhi satu atau lebih indikator TPS rawan (Pilkada 2024: "
         "8 variabel, 25 indikator), dicatat oleh pengawas desa beberapa hari sebelum pemungutan suara. Satu TPS "
         "bisa memenuhi beberapa indikator. Bawaslu melaporkan jumlah TPS per indikator, bukan skor per TPS.",
         "A polling station (TPS) reported under one or more TPS-rawan indicators (Pilkada 2024: 8 variables, 25 "
         "indicators), recorded by village supervisors some days before voting. One TPS can meet several "
         "indicators. Bawaslu reports the number of TPS per indicator, not a score per TPS."),
    Term("pkd", "PKD (Pengawas Kelurahan/Desa)", "PKD (Pengawas Kelurahan/Desa)", "village-level election supervisor",
         "Pengawas pemilu ad hoc di satu kelurahan/desa, di bawah Panwascam. Di rawan, PKD mengisi daftar periksa "
         "TPS desanya dan melaporkan kejadian di sana.",
         "Ad hoc election supervisor of one village (kelurahan/desa), under the Panwascam. In rawan the PKD fills "
         "in the TPS checklists of their desa and reports events there."),
    Term("panwascam", "Panwascam (Panitia Pengawas Pemilu Kecamatan)", "Panwascam (Panitia Pengawas Pemilu Kecamatan)",
         "sub-district (kecamatan) supervisory committee",
         "Panitia pengawas pemilu ad hoc di kecamatan, di bawah Bawaslu kab/kota. Di rawan, Panwascam melihat desa "
         "mana yang sudah melaporkan daftar periksa TPS dan dapat mengembalikannya dengan komentar.",
         "Ad hoc election supervisory committee of a kecamatan (sub-district), under Bawaslu kab/kota. In rawan the "
         "Panwascam sees which desa have reported their TPS checklists and can return one with a comment."),
    Term("mitigasi", "mitigasi", "mitigasi", "mitigation",
         "Langkah untuk mencegah atau mengurangi kerawanan: patroli pengawasan, posko pengaduan, koordinasi dengan "
         "KPU, kepolisian dan pemerintah daerah, sosialisasi dan pendidikan politik. Itulah guna pemetaan: "
         "peringatan dini untuk mitigasi.",
         "Steps that prevent or reduce vulnerability: supervision patrols, complaint posts, coordination with the "
         "KPU, police and local government, outreach and political education. That is what the mapping is for: "
         "early warning for mitigation."),
    Term("data-contoh", "data contoh", SYNTHETIC_MARK, "example (synthetic) data",
         "Data sintetis (dibuat acak dengan benih tetap) untuk mencoba aplikasi. Nama wilayah dan kodenya nyata, "
         "tetapi nilai dan skornya bukan data Bawaslu dan tidak berkata apa pun tentang wilayah itu. Setiap "
         f"halaman dan berkas dari data ini bertanda {SYNTHETIC_MARK}.",
         "Synthetic data (drawn at random with a fixed seed) for trying the app. Region names and codes are real, "
         "but the values and scores are not Bawaslu data and say nothing about those regions. Every page and file "
         f"made from them is marked {SYNTHETIC_MARK}."),
    Term("asumsi", "asumsi", "asumsi", "assumption",
         "Pilihan yang dibuat rawan di tempat Bawaslu tidak menerbitkan metodenya (misalnya bobot indikator atau "
         "skala tingkat kejadian). Setiap asumsi punya nama dan alasan di berkas model, dan ditampilkan di halaman "
         "wilayah; ia bukan metode Bawaslu.",
         "A choice rawan makes where Bawaslu has not published its method (for example indicator weights or the "
         "severity scale). Every assumption has a name and a reason in the model file and is shown on the region "
         "page; it is not Bawaslu's method."),
)
BY_SLUG = {t.slug: t for t in TERMS}
