"""Words of the report, in Indonesian (default) and English, and number formatting."""

from __future__ import annotations

import math

from ..vocabulary import NO_DATA_LABEL, SYNTHETIC_MARK, category_label

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "report": "Laporan Pemetaan Kerawanan Pemilu",
        "synthetic": SYNTHETIC_MARK,
        "synthetic_note": f"{SYNTHETIC_MARK} — nilai indikator sintetis, bukan data Bawaslu. "
                          "Jangan dikutip sebagai hasil pemetaan.",
        "synthetic_short": "nilai sintetis, bukan data Bawaslu",
        "assumption_note": "Hasil ini bertumpu pada {n} asumsi model rawan, bukan metode Bawaslu; semuanya diuraikan "
                           "di bab Metodologi.",
        "assumption_word": "asumsi",
        "assumption_note_short": "Hasil ini bertumpu pada {n} asumsi model rawan, bukan metode Bawaslu (diuraikan di "
                                 "bab Metodologi buku laporan).",
        "toc": "Daftar Isi",
        "page": "Halaman",
        "page_short": "Hal.",
        "of": "dari",
        "date": "Tanggal",
        "model": "Model",
        "level": "Tingkat wilayah",
        "regions_n": "Jumlah wilayah",
        "summary": "Ringkasan Eksekutif",
        "methodology": "Metodologi",
        "map_province": "Peta Kerawanan",
        "map_key": "Nomor pada peta",
        "map_key_intro": "Wilayah terlalu banyak untuk dinamai satu per satu pada peta: setiap wilayah diberi nomor, "
                         "dikelompokkan menurut wilayah induknya; nomor yang sama dipakai pada peta setiap dimensi.",
        "map_key_see": "Nomor wilayah pada peta ini sama dengan daftar \u201cNomor pada peta\u201d di bab Peta Kerawanan.",
        "ranking": "Peringkat Wilayah",
        "dimensions": "Dimensi",
        "profiles": "Profil Wilayah",
        "issues": "Isu Strategis",
        "recommendations": "Rekomendasi",
        "annex": "Lampiran: Nilai Indikator",
        "attribution": "Sumber Data dan Lisensi",
        "rank": "Peringkat",
        "code": "Kode",
        "region": "Wilayah",
        "score": "Skor",
        "category": "Kategori",
        "completeness": "Kelengkapan",
        "no_data": NO_DATA_LABEL["id"],
        "no_category": "Tanpa kategori",
        "count": "Jumlah",
        "share": "Persentase",
        "indicator": "Indikator",
        "value": "Nilai",
        "contribution": "Kontribusi",
        "dimension": "Dimensi",
        "subdimension": "Subdimensi",
        "mean": "Rata-rata",
        "weight": "Bobot (efektif)",
        "warning_word": "Peringatan",
        "direction": "Arah",
        "type": "Jenis",
        "aggregate": "agregat",
        "indicator_t": "indikator",
        "method": "Metode",
        "hierarchy": "Hierarki",
        "methods": "Metode perhitungan",
        "cutoffs": "Batas kategori",
        "assumptions": "Asumsi",
        "sources": "Sumber",
        "data": "Data",
        "top_regions": "Wilayah paling rawan",
        "top_drivers": "Pendorong utama",
        "drivers_all": "Indikator dengan kontribusi rata-rata terbesar ke indeks",
        "counts": "Jumlah wilayah per kategori",
        "previous": "Edisi sebelumnya",
        "change": "Perubahan",
        "previous_note": "Skor min-max bersifat relatif terhadap wilayah dalam edisi yang sama; "
                         "bandingkan peringkat dan kategori, bukan selisih skor semata.",
        "to_up": "Naik ke {label} bila skor bertambah {gap} poin (batas {cut}).",
        "to_down": "Turun ke {label} bila skor berkurang lebih dari {gap} poin (batas {cut}).",
        "top_class": "Sudah di kategori tertinggi.",
        "top_reachable": "Batas kategori berikutnya di atas skala skor; kategori tidak dapat naik.",
        "missing_ind": "Indikator tanpa data",
        "none": "tidak ada",
        "occurred_in": "Terjadi di",
        "highest_in": "Nilai tertinggi",
        "actions": "Tindakan mitigasi",
        "by_org": "Rekomendasi per organisasi",
        "register_title": "Register mitigasi",
        "register_intro": "Rekomendasi yang telah dikirim Bawaslu per organisasi dan wilayah, dengan tindak lanjut yang "
                          "dilaporkan organisasi itu sendiri, dan tindakan Bawaslu per wilayah.",
        "follow_up": "Tindak lanjut",
        "bawaslu_actions": "Tindakan Bawaslu",
        "tps_chapter": "TPS Rawan",
        "tps_where": "Kab/kota terbanyak",
        "tps_count": "Jumlah TPS",
        "stages": "Tahapan Pemilihan",
        "national_finding": "Temuan nasional",
        "stage_nodes": "Bagian indeks pada tahapan ini",
        "own_actions": "tindakan sendiri",
        "related_issues": "Terkait isu edisi ini",
        "for_issue": "Untuk isu",
        "of_regions": "dari {n} wilayah",
        "robust": "Ketahanan peringkat",
        "rank_range": "Rentang peringkat",
        "rank_range_short": "Rentang",
        "previous_short": "Sblm.",
        "class_stability": "Stabilitas kategori",
        "dim_chart": "Skor dimensi (garis: rata-rata semua wilayah)",
        "map_missing": "Peta tidak dibuat: {reason}",
        "map_attr": "Kode & nama wilayah: idn-area-data (fityannugroho), ODbL 1.0. "
                    "Batas wilayah: cahyadsn/wilayah_boundaries, MIT.",
        "produced_by": "Disusun dengan rawan {version}",
        "recipe": "Resep hasil",
        "infographic_top": "Wilayah paling rawan",
        "infographic_all": "Semua wilayah, menurut peringkat",
        "legend": "Kategori kerawanan",
        "level_provinsi": "provinsi",
        "level_kabupaten_kota": "kabupaten/kota",
        "level_kecamatan": "kecamatan",
        "level_desa_kelurahan": "desa/kelurahan",
        "in": "di",
        "strongest_dim": "Dimensi dengan rata-rata skor tertinggi",
        "map_score": "Peta Skor Kerawanan",
        "no_separate_score": "Tidak ada skor terpisah",
        "no_class_published": "Kelas tidak dipublikasikan",
        "source_word": "sumber",
        "results_only_short": "hasil terbit",
        "level_above": "wilayah di atasnya",
        "level_above_kabupaten_kota": "provinsi",
        "level_above_kecamatan": "kabupaten/kota",
        "level_above_provinsi": "nasional",
        "figure": "Skor provinsi",
        "figure_national": "Skor nasional",
        "approach": "Pendekatan",
        "results_only": "Edisi hasil terbit",
        "scale_note": "Cara membaca skala",
        "stability": "Stabilitas",
        "unstable_short": "kurang stabil, di bawah 80%",
        "parent_kabkota": "Kab/kota",
        "parent_kecamatan": "Kecamatan",
    },
    "en": {
        "report": "Election Vulnerability Mapping Report",
        "synthetic": SYNTHETIC_MARK,
        "synthetic_note": f"{SYNTHETIC_MARK} (example data) — synthetic indicator values, not Bawaslu data. "
                          "Do not quote as mapping results.",
        "synthetic_short": "synthetic values, not Bawaslu data",
        "assumption_note": "These results rest on {n} rawan model assumptions, not Bawaslu's method; all are set out "
                           "in the Methodology chapter.",
        "assumption_word": "assumption",
        "assumption_note_short": "These results rest on {n} rawan model assumptions, not Bawaslu's method (set out in "
                                 "the Methodology chapter of the report).",
        "toc": "Contents",
        "page": "Page",
        "page_short": "p.",
        "of": "of",
        "date": "Date",
        "model": "Model",
        "level": "Region level",
        "regions_n": "Number of regions",
        "summary": "Executive Summary",
        "methodology": "Methodology",
        "map_province": "Vulnerability Map",
        "map_key": "Numbers on the map",
        "map_key_intro": "There are too many regions to name each on the map: every region carries a number, grouped "
                         "by the region above; the same numbers are used on every dimension map.",
        "map_key_see": "The region numbers on this map are those of the list \u201cNumbers on the map\u201d in the "
                       "Vulnerability Map chapter.",
        "ranking": "Ranking of Regions",
        "dimensions": "Dimensions",
        "profiles": "Region Profiles",
        "issues": "Strategic Issues",
        "recommendations": "Recommendations",
        "annex": "Annex: Indicator Values",
        "attribution": "Data Sources and Licences",
        "rank": "Rank",
        "code": "Code",
        "region": "Region",
        "score": "Score",
        "category": "Category",
        "completeness": "Completeness",
        "no_data": NO_DATA_LABEL["en"],
        "no_category": "No category",
        "count": "Count",
        "share": "Share",
        "indicator": "Indicator",
        "value": "Value",
        "contribution": "Contribution",
        "dimension": "Dimension",
        "subdimension": "Sub-dimension",
        "mean": "Mean",
        "weight": "Weight (effective)",
        "warning_word": "Warning",
        "direction": "Direction",
        "type": "Type",
        "aggregate": "aggregate",
        "indicator_t": "indicator",
        "method": "Method",
        "hierarchy": "Hierarchy",
        "methods": "Computation methods",
        "cutoffs": "Category cut-offs",
        "assumptions": "Assumptions",
        "sources": "Sources",
        "data": "Data",
        "top_regions": "Most vulnerable regions",
        "top_drivers": "Top drivers",
        "drivers_all": "Indicators with the largest mean contribution to the index",
        "counts": "Regions per category",
        "previous": "Previous edition",
        "change": "Change",
        "previous_note": "Min-max scores are relative to the regions of the same edition; "
                         "compare ranks and categories, not score differences alone.",
        "to_up": "Moves up to {label} if the score rises by {gap} points (cut-off {cut}).",
        "to_down": "Moves down to {label} if the score falls by more than {gap} points (cut-off {cut}).",
        "top_class": "Already in the highest category.",
        "top_reachable": "The next cut-off lies above the score scale; the category cannot rise.",
        "missing_ind": "Indicators without data",
        "none": "none",
        "occurred_in": "Occurred in",
        "highest_in": "Highest values",
        "actions": "Mitigation actions",
        "by_org": "Recommendations per organisation",
        "register_title": "Mitigation register",
        "register_intro": "Recommendations Bawaslu has sent, per organisation and region, with the follow-up the "
                          "organisations report themselves, and Bawaslu's actions per region.",
        "follow_up": "Follow-up",
        "bawaslu_actions": "Bawaslu's actions",
        "tps_chapter": "Vulnerable Polling Stations (TPS)",
        "tps_where": "Kab/kota with the most",
        "tps_count": "Polling stations",
        "stages": "Election Stages",
        "national_finding": "National finding",
        "stage_nodes": "Parts of the index in this stage",
        "own_actions": "own actions",
        "related_issues": "Related issues of this edition",
        "for_issue": "For the issue",
        "of_regions": "of {n} regions",
        "robust": "Rank robustness",
        "rank_range": "Rank range",
        "rank_range_short": "Range",
        "previous_short": "Prev.",
        "class_stability": "Category stability",
        "dim_chart": "Dimension scores (line: mean of all regions)",
        "map_missing": "Map not drawn: {reason}",
        "map_attr": "Region codes & names: idn-area-data (fityannugroho), ODbL 1.0. "
                    "Boundaries: cahyadsn/wilayah_boundaries, MIT.",
        "produced_by": "Produced with rawan {version}",
        "recipe": "Result recipe",
        "infographic_top": "Most vulnerable regions",
        "infographic_all": "All regions, by rank",
        "legend": "Vulnerability category",
        "level_provinsi": "provinces",
        "level_kabupaten_kota": "regencies/cities",
        "level_kecamatan": "districts (kecamatan)",
        "level_desa_kelurahan": "villages (desa/kelurahan)",
        "in": "in",
        "strongest_dim": "Dimension with the highest mean score",
        "map_score": "Vulnerability Score Map",
        "no_separate_score": "No separate score",
        "no_class_published": "No class published",
        "source_word": "source",
        "results_only_short": "published results",
        "level_above": "the level above",
        "level_above_kabupaten_kota": "province",
        "level_above_kecamatan": "regency/city",
        "level_above_provinsi": "national",
        "figure": "Province score",
        "figure_national": "National score",
        "approach": "Approach",
        "results_only": "Published-results edition",
        "scale_note": "How to read the scale",
        "stability": "Stability",
        "unstable_short": "unstable, under 80%",
        "parent_kabkota": "Regency/city",
        "parent_kecamatan": "District",
    },
}

SENTENCES: dict[str, dict[str, str]] = {
    "id": {
        "counts": "Dari {n} {level}, {tinggi} masuk kategori rawan tinggi, {sedang} rawan sedang dan "
                  "{rendah} rawan rendah{nodata}.",
        "nodata": "; {k} tanpa skor karena datanya kurang",
        "no_rule": "{n} {level} dinilai; model ini tidak punya aturan kategori untuk tingkat ini, jadi tidak ada kategori.",
        "top": "Wilayah dengan skor tertinggi: {regions}.",
        "drivers": "Indikator yang paling banyak menyumbang skor indeks: {indicators}.",
        "dim": "Dimensi dengan rata-rata skor tertinggi adalah {dim} ({score}).",
        "issues_intro": "Isu strategis adalah indikator yang terjadi (nilai lebih dari nol) di paling banyak "
                        "wilayah; urutan menurut jumlah wilayah, lalu rata-rata skor indikator. Hanya "
                        "indikator jenis hitungan atau biner yang dihitung sebagai kejadian.",
        "rec_intro": "Tindakan mitigasi per isu strategis diambil dari berkas rekomendasi model ({file}), "
                     "yang disusun dari daftar mitigasi baku Bawaslu.",
        "rec_none": "Model ini tidak membawa berkas rekomendasi; berikut daftar mitigasi baku Bawaslu "
                    "tanpa pemetaan ke isu.",
        "method_norm": "Normalisasi: {m}.",
        "method_imp": "Imputasi: {m}.",
        "method_agg": "Agregasi: {m}. Skor agregat kosong bila kelengkapan di bawah {cov}.",
        "completeness": "Rata-rata kelengkapan data {mean}; {k} wilayah tidak lengkap (terendah {min}).",
        "cutoff_rule": "Aturan {rule} untuk tingkat {level}; batas: {cuts}.",
        "unreachable": "Sebuah batas berada di luar skala skor {lo}–{hi}, jadi tidak ada wilayah yang dapat masuk "
                       "kategori {label} pada edisi ini.",
        "data_file": "Berkas data: {file} ({n} wilayah); SHA-256 data {hash}.",
        "annex_intro": "Nilai indikator sebagaimana dimasukkan (setelah imputasi, bila ada); kosong = tanpa data. "
                       "Nama indikator: lihat tabel hierarki di bagian Metodologi.",
        "dim_intro": "Skor dimensi {dim}: sebaran per wilayah dan lima wilayah tertinggi.",
        "rank_of": "Peringkat {rank} dari {n}",
        "rank_of_both": "Peringkat {rank} dari {n} di tabel ini; {ref_rank} dari {ref} dalam referensi",
        "two_ranks": "Tabel ini memuat {n} dari {ref} wilayah referensinya: peringkat \"di tabel ini\" dihitung di antara "
                     "{n} wilayah yang ditampilkan, peringkat \"dalam referensi\" di antara seluruh {ref} wilayah.",
        "weights_levels": "Bobot: relatif terhadap saudara di setiap tingkat pohon; bobot efektif indikator dalam "
                          "indeks (dalam kurung di tabel hierarki) dari {lo} sampai {hi}{asm}.",
        "weights_indicators": "Bobot: ditetapkan per indikator; setiap agregat berbobot jumlah indikator di bawahnya. "
                              "Bobot efektif indikator dalam indeks (dalam kurung di tabel hierarki) dari {lo} "
                              "sampai {hi}{asm}.",
        "prev_line": "Edisi sebelumnya: skor {score}, peringkat {rank}, {category}.",
        "prev_missing": "Wilayah ini tidak ada di edisi sebelumnya.",
        "province_not_computed": "Skor provinsi tidak dihitung dalam buku ini: IKP mengenal dua pendekatan skor "
                                 "provinsi (input Bawaslu Provinsi, atau agregat kabupaten/kota) yang hasilnya dapat "
                                 "sangat berbeda, dan model ini tidak menetapkan salah satunya.",
        "map_source": "Sumber: {title}, model {model}, data {data}, {date}.",
        "no_robustness_run": "Analisis ketahanan peringkat tidak dijalankan untuk buku ini, sehingga stabilitas "
                             "kategori tidak dinilai (jalankan dengan --runs, mis. 1000).",
        "all_stable": "Kategori setiap wilayah bertahan pada sedikitnya {pct} simulasi analisis ketahanan.",
        "unstable": "Kategori {n} wilayah kurang stabil (bertahan pada kurang dari {pct} simulasi analisis "
                    "ketahanan; bergaris putus-putus di peta): {regions}.",
        "rec_orgs_intro": "Rekomendasi per organisasi. Tindakan Bawaslu menjadi tanggung jawab Bawaslu sendiri; "
                          "kepada organisasi lain Bawaslu merekomendasikan, tanpa menetapkan tenggat. Pasangan "
                          "organisasi dan rekomendasi disusun rawan dari cara tiap organisasi memakai hasil pemetaan "
                          "(asumsi rawan, bukan rekomendasi terbitan Bawaslu).",
        "rec_published": "Edisi hasil terbit tidak membawa data indikator, sehingga rekomendasi tidak dipasangkan "
                         "dengan isu wilayah tertentu; berikut daftar mitigasi baku Bawaslu per organisasi.",
        "tps_intro": "Pemetaan TPS rawan {publisher} ({date}): {variables} variabel, {indicators} indikator terjadi. "
                     "Angka ini jumlah TPS per indikator, bukan skor.",
        "tps_overlap": "Satu TPS dapat memuat beberapa indikator, sehingga jumlah per indikator saling tumpang tindih "
                       "dan tidak boleh dijumlahkan.",
        "tps_closed_complete": "Pengumpulan data TPS sudah ditutup; semua {n} desa/kelurahan melapor (data terakhir "
                               "{date}).",
        "tps_closed_missing": "Pengumpulan data TPS sudah ditutup; {k} dari {n} desa/kelurahan tidak melapor, sehingga "
                              "angka ini belum mencakup TPS di desa/kelurahan itu (data terakhir {date}).",
        "tps_open": "Pengumpulan data TPS masih berjalan: {k} dari {n} desa/kelurahan belum melapor (data sampai "
                    "{date}); angka ini masih dapat berubah.",
        "stages_intro": "Indikator yang disebut pada peluncuran, per tahapan pemilihan.",
        "stages_model": "Model {model} menyebut tahapan pemilihan berikut; kejadian sesudah publikasi peta dicatat "
                        "menurut tahapan ini.",
        "stages_unmapped": "Model ini tidak memetakan indikator atau dimensi ke tahapan dan tidak menghitung skor per "
                           "tahapan, sehingga edisi ini tidak memuat skor per tahapan.",
        "stages_mapped": "Model ini memetakan bagian indeks ke tahapan seperti tertulis di bawah; skor bagian itu ada "
                         "di bab Dimensi, Profil Wilayah dan Lampiran. Skor tersendiri per tahapan tidak dihitung.",
        "stage_voting": "Kejadian pada tahapan ini dibaca setelah pemungutan suara, dibandingkan dengan kategori edisi.",
        "stage_events": "{n} kejadian terverifikasi sejak publikasi.",
        "stages_events": "Kejadian terverifikasi yang dicatat sejak publikasi peta: {total}{unstaged}; kejadian "
                         "terakhir bertanggal {last}.",
        "stages_events_none": "Belum ada kejadian terverifikasi yang dicatat sejak publikasi peta.",
        "stages_unstaged": " ({n} tanpa tahapan)",
        "stages_no_events": "Buku ini dibuat tanpa catatan kejadian; jumlah kejadian per tahapan ada pada buku yang "
                            "dibuat dari aplikasi web, tempat kejadian dicatat dan diverifikasi.",
        "figure_none": "Tidak ada skor atau kelas tingkat {level} yang dipublikasikan untuk edisi ini.",
        "figure_conflict": "Sumber tidak sepakat tentang angka ini ({scores}); semua angka ditampilkan dengan sumbernya.",
        "pub_intro": "Buku ini menyajikan hasil {title} sebagaimana dipublikasikan oleh {publisher}.",
        "pub_high": "Wilayah dalam kategori rawan tinggi: {regions}.",
        "no_robustness": "Edisi hasil terbit tidak membawa data indikator, sehingga tidak ada analisis ketahanan "
                         "peringkat: stabilitas kategori tidak dapat dinilai untuk edisi ini.",
        "results_only_note": "Skor, peringkat dan kategori di buku ini disalin dari publikasi resmi beserta sumbernya; "
                             "rawan tidak menghitung ulang skor ini.",
        "pub_data": "Tabel hasil: {file} ({n} wilayah); SHA-256 {hash}.",
        "robust_line": "Rentang peringkat (5%–95%): {lo}–{hi}; kategori sama pada {stab} simulasi.",
        "robust_method": "Ketahanan peringkat: resep dihitung ulang {runs} kali (benih {seed}) dengan bobot di "
                          "bawah indeks dikalikan U(0,75; 1,25) dan, bila model memakai min-max, normalisasi min-max atau "
                          "jarak ke maksimum (keduanya 0-100) (rawan.engine.uncertainty). Rentang peringkat = persentil 5%–95% peringkat; stabilitas "
                          "kategori = bagian simulasi yang mempertahankan kategori wilayah.",
    },
    "en": {
        "counts": "Of {n} {level}, {tinggi} fall in the high vulnerability category, {sedang} medium and "
                  "{rendah} low{nodata}.",
        "nodata": "; {k} have no score because data are insufficient",
        "no_rule": "{n} {level} were scored; the model has no category rule for this level, so there are no categories.",
        "top": "Regions with the highest scores: {regions}.",
        "drivers": "Indicators contributing most to the index: {indicators}.",
        "dim": "The dimension with the highest mean score is {dim} ({score}).",
        "issues_intro": "Strategic issues are the indicators that occurred (value above zero) in the most "
                        "regions; ordered by the number of regions, then the mean indicator score. Only count "
                        "and binary indicators are counted as occurrences.",
        "rec_intro": "Mitigation actions per strategic issue come from the model's recommendations file ({file}), "
                     "built from Bawaslu's standard mitigation list.",
        "rec_none": "This model ships no recommendations file; Bawaslu's standard mitigation list follows, "
                    "without a mapping to issues.",
        "method_norm": "Normalisation: {m}.",
        "method_imp": "Imputation: {m}.",
        "method_agg": "Aggregation: {m}. An aggregate is missing when completeness is under {cov}.",
        "completeness": "Mean data completeness {mean}; {k} regions incomplete (lowest {min}).",
        "cutoff_rule": "Rule {rule} for level {level}; cut-offs: {cuts}.",
        "unreachable": "A cut-off lies outside the score scale {lo}–{hi}, so no region can fall in the "
                       "{label} category in this edition.",
        "data_file": "Data file: {file} ({n} regions); data SHA-256 {hash}.",
        "annex_intro": "Indicator values as entered (after imputation, if any); blank = no data. "
                       "Indicator names: see the hierarchy table in the Methodology section.",
        "dim_intro": "Dimension {dim} scores: distribution by region and the five highest regions.",
        "rank_of": "Rank {rank} of {n}",
        "rank_of_both": "Rank {rank} of {n} in this table; {ref_rank} of {ref} within the reference",
        "two_ranks": "This table holds {n} of its reference's {ref} regions: the rank \"in this table\" is among the "
                     "{n} regions shown, the rank \"within the reference\" among all {ref}.",
        "weights_levels": "Weights: relative to siblings at each level of the tree; indicators' effective weights in "
                          "the index (in brackets in the hierarchy table) range from {lo} to {hi}{asm}.",
        "weights_indicators": "Weights: set per indicator; every aggregate weighs the sum of the indicators beneath "
                              "it. Indicators' effective weights in the index (in brackets in the hierarchy table) "
                              "range from {lo} to {hi}{asm}.",
        "prev_line": "Previous edition: score {score}, rank {rank}, {category}.",
        "prev_missing": "This region is not in the previous edition.",
        "province_not_computed": "This book computes no province score: the IKP knows two approaches to a province "
                                 "score (Bawaslu Provinsi input, or the aggregate of the kab/kota) whose results can "
                                 "differ widely, and this model sets neither.",
        "map_source": "Source: {title}, model {model}, data {data}, {date}.",
        "no_robustness_run": "No rank robustness analysis was run for this book, so category stability was not "
                             "assessed (run with --runs, e.g. 1000).",
        "all_stable": "Every region's category holds in at least {pct} of the robustness runs.",
        "unstable": "The category of {n} regions is unstable (it holds in fewer than {pct} of the robustness runs; "
                    "dashed outline on the maps): {regions}.",
        "rec_orgs_intro": "Recommendations per organisation. Bawaslu's own actions are Bawaslu's responsibility; "
                          "to the other organisations Bawaslu recommends, without setting deadlines. rawan paired "
                          "organisations and recommendations from how each organisation uses the mapping (a rawan "
                          "assumption, not recommendations published by Bawaslu).",
        "rec_published": "A published-results edition carries no indicator data, so recommendations are not paired "
                         "with particular regional issues; Bawaslu's standard mitigation list per organisation follows.",
        "tps_intro": "TPS-rawan mapping by {publisher} ({date}): {variables} variables, {indicators} indicators occurred. "
                     "The figures are numbers of polling stations per indicator, not scores.",
        "tps_overlap": "One polling station can carry several indicators, so the counts per indicator overlap and "
                       "must not be added up.",
        "tps_closed_complete": "TPS data collection is closed; all {n} desa/kelurahan reported (latest data {date}).",
        "tps_closed_missing": "TPS data collection is closed; {k} of {n} desa/kelurahan did not report, so these counts "
                              "leave out their polling stations (latest data {date}).",
        "tps_open": "TPS data collection is still open: {k} of {n} desa/kelurahan have not reported yet (data up to "
                    "{date}); these counts may still change.",
        "stages_intro": "The indicators named at the launch, by election stage.",
        "stages_model": "The model {model} names the following election stages; events after the map's publication "
                        "are recorded by these stages.",
        "stages_unmapped": "The model maps no indicators or dimensions to the stages and computes no per-stage score, "
                           "so this edition carries no per-stage scores.",
        "stages_mapped": "The model maps parts of the index to the stages as listed below; their scores are in the "
                         "Dimensions, Region Profiles and Annex chapters. No separate per-stage score is computed.",
        "stage_voting": "Events of this stage are read after the vote, against the edition's categories.",
        "stage_events": "{n} verified events since publication.",
        "stages_events": "Verified events recorded since the map's publication: {total}{unstaged}; the latest is "
                         "dated {last}.",
        "stages_events_none": "No verified event has been recorded since the map's publication.",
        "stages_unstaged": " ({n} without a stage)",
        "stages_no_events": "This book was made without event records; counts of events by stage are in the book "
                            "made from the web app, where events are recorded and verified.",
        "figure_none": "No {level} score or class was published for this edition.",
        "figure_conflict": "Sources disagree on this figure ({scores}); every figure is shown with its sources.",
        "pub_intro": "This book presents the results of {title} as published by {publisher}.",
        "pub_high": "Regions in the high vulnerability category: {regions}.",
        "no_robustness": "A published-results edition carries no indicator data, so there is no rank robustness "
                         "analysis: category stability cannot be assessed for this edition.",
        "results_only_note": "The scores, ranks and categories in this book are copied from the official publication "
                             "with their sources; rawan does not recompute them.",
        "pub_data": "Results table: {file} ({n} regions); SHA-256 {hash}.",
        "robust_line": "Rank range (5%–95%): {lo}–{hi}; same category in {stab} of simulations.",
        "robust_method": "Rank robustness: the recipe was replayed {runs} times (seed {seed}) with the weights below "
                         "the index multiplied by U(0.75, 1.25) and, where the model uses min-max, min-max or "
                         "distance-to-max normalisation (both 0-100) (rawan.engine.uncertainty). Rank range = 5th–95th percentile of ranks; category "
                         "stability = share of runs keeping the region's category.",
    },
}

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


def words(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["id"])


RECIPE_LABELS = {
    "id": {"model": "Model", "model_version": "Versi model", "spec_sha256": "SHA-256 berkas model",
           "data_sha256": "SHA-256 data", "rawan_version": "Versi rawan", "region_level": "Tingkat wilayah"},
    "en": {"model": "Model", "model_version": "Model version", "spec_sha256": "SHA-256 of the model file",
           "data_sha256": "SHA-256 of the data", "rawan_version": "rawan version", "region_level": "Region level"},
}


def recipe_rows(recipe: dict, lang: str) -> list[list[str]]:
    """The recipe of a result as labelled rows in the reader's language (keys are never printed)."""
    labels, w = RECIPE_LABELS.get(lang, RECIPE_LABELS["id"]), words(lang)
    return [[labels.get(k, k), w.get(f"level_{v}", v) if k == "region_level" else v] for k, v in recipe.items()]


def sentence(lang: str, key: str, **kw) -> str:
    return SENTENCES.get(lang, SENTENCES["id"])[key].format(**kw)


def category_name(lang: str, code: str | None) -> str:
    """Long label ("Rawan Tinggi"), from rawan.vocabulary; "Tidak ada data" for None."""
    return category_label(code or None, lang)


def category_short(lang: str, code: str | None) -> str:
    """Short label ("Tinggi"), from rawan.vocabulary; "–" for None."""
    return category_label(code or None, lang, short=True)


def num(x: float | None, lang: str, nd: int = 2) -> str:
    """A number for people: decimal comma and dot thousands in Indonesian."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{nd}f}"
    if lang == "id":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def raw_value(x: float, lang: str) -> str:
    if math.isnan(x):
        return ""
    return num(x, lang, 0 if float(x).is_integer() else 2)


def percent(x: float, lang: str) -> str:
    if math.isnan(x):
        return "–"
    return num(100 * x, lang, 0) + "%"


def long_date(iso: str, lang: str) -> str:
    y, m, d = (int(p) for p in iso.split("-"))
    return f"{d} {MONTHS.get(lang, MONTHS['id'])[m - 1]} {y}"
