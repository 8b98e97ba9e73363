"""Messages users can see from rawan.reports (registered with the engine's message table)."""

from ..engine import register_messages

MESSAGES = {
    "reports.format": {
        "id": "Format laporan untuk {file} tidak dikenal: gunakan akhiran .pdf atau .html.",
        "en": "Unknown report format for {file}: use the suffix .pdf or .html.",
    },
    "reports.infographic_format": {
        "id": "Infografik {file} harus berakhiran .png.",
        "en": "Infographic {file} must end in .png.",
    },
    "reports.recommendations_missing": {
        "id": "Berkas rekomendasi {file} tidak ditemukan.",
        "en": "Recommendations file {file} not found.",
    },
    "reports.recommendations_yaml": {
        "id": "Berkas rekomendasi {file} bukan YAML yang sah: {detail}",
        "en": "Recommendations file {file} is not valid YAML: {detail}",
    },
    "reports.recommendations_action": {
        "id": "Berkas rekomendasi {file}, actions butir {index}: setiap tindakan perlu 'id' dan 'text'.",
        "en": "Recommendations file {file}, actions item {index}: every action needs 'id' and 'text'.",
    },
    "reports.recommendations_node": {
        "id": "Berkas rekomendasi {file}, issues: '{node}' bukan simpul model {model}.",
        "en": "Recommendations file {file}, issues: '{node}' is not a node of model {model}.",
    },
    "reports.recommendations_unknown_action": {
        "id": "Berkas rekomendasi {file}, issues.{node}: tindakan '{action}' tidak ada di actions.",
        "en": "Recommendations file {file}, issues.{node}: action '{action}' is not listed under actions.",
    },
    "reports.previous_level": {
        "id": "Data edisi sebelumnya ({file}) berisi wilayah tingkat {level}, sedangkan data edisi ini tingkat "
              "{current}; keduanya harus setingkat.",
        "en": "The previous edition's data ({file}) holds {level} regions but this edition holds {current}; "
              "both must be of the same level.",
    },
    "reports.unknown_region": {
        "id": "Wilayah {region} tidak ada dalam hasil ({n} wilayah).",
        "en": "Region {region} is not in the result ({n} regions).",
    },
    "reports.render_failed": {
        "id": "Typst gagal menyusun {file}: {detail}",
        "en": "Typst could not typeset {file}: {detail}",
    },
    "reports.bad_date": {
        "id": "Tanggal laporan '{date}' tidak sah: gunakan format TTTT-BB-HH (mis. 2024-08-31).",
        "en": "Report date '{date}' is not valid: use YYYY-MM-DD (e.g. 2024-08-31).",
    },
    "reports.recommendations_org": {
        "id": "Berkas rekomendasi {file}, organisations butir {index}: setiap organisasi perlu 'code' dan 'name'.",
        "en": "Recommendations file {file}, organisations item {index}: every organisation needs 'code' and 'name'.",
    },
    "reports.tps_unknown": {
        "id": "Pemetaan TPS rawan '{name}' tidak dikenal dan bukan berkas hasil TPS; yang tersedia: {known}.",
        "en": "Unknown TPS-rawan mapping '{name}', and not a TPS results file; available: {known}.",
    },
    "reports.model_needed": {
        "id": "{file} bukan tabel hasil terbit (kolom kode, nama, skor, kategori): sebutkan model dengan --model "
              "untuk menghitung dari data indikator.",
        "en": "{file} is not a published results table (columns code, name, score, category): name a model with "
              "--model to compute from indicator data.",
    },
}

register_messages(MESSAGES)
