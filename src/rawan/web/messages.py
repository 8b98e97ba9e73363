"""The web app's own engine-style messages (registered with rawan.engine.errors)."""

from ..engine.errors import register_messages

register_messages({
    "web.reference_not_computed": {
        "id": "Edisi referensi \"{edition}\" belum punya hasil: hitung edisi itu lebih dulu.",
        "en": "Reference edition \"{edition}\" has no results yet: compute that edition first.",
    },
    "web.reference_mismatch": {
        "id": "Edisi referensi \"{edition}\" memakai model atau tingkat wilayah lain; pilih edisi dengan model dan tingkat yang sama.",
        "en": "Reference edition \"{edition}\" uses another model or region level; choose an edition with the same model and level.",
    },
    "web.no_verified": {
        "id": "Edisi \"{edition}\" belum punya data wilayah yang terverifikasi: tidak ada yang dapat dihitung.",
        "en": "Edition \"{edition}\" has no verified region data yet: nothing to compute.",
    },
    "web.unknown_user": {
        "id": "Pengguna \"{username}\" tidak ada.",
        "en": "User \"{username}\" does not exist.",
    },
})
