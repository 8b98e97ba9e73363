"""The web app's own engine-style messages (registered with rawan.engine.errors)."""

from ..engine.errors import register_messages

register_messages({
    "web.no_verified": {
        "id": "Edisi \"{edition}\" belum punya data wilayah yang terverifikasi: tidak ada yang dapat dihitung.",
        "en": "Edition \"{edition}\" has no verified region data yet: nothing to compute.",
    },
    "web.unknown_user": {
        "id": "Pengguna \"{username}\" tidak ada.",
        "en": "User \"{username}\" does not exist.",
    },
})
