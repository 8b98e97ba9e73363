"""The optional photo of a TPS checklist, kept through Django's storage API (a local folder by
default, S3-compatible storage when configured): ``tps/<edition>/<desa>/<tps>/<save id>.<ext>``."""

from __future__ import annotations

from django.core.files.storage import default_storage

MAX_PHOTO = 4 * 1024 * 1024  # the page shrinks photos before sending (tps.js); this is the ceiling
KINDS = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png", b"RIFF": "webp"}


class PhotoError(ValueError):
    pass


def store_photo(slug: str, station, save_id: str, upload) -> str:
    if upload.size > MAX_PHOTO:
        raise PhotoError(f"Foto {upload.size // 1024} KB, paling besar {MAX_PHOTO // 1024} KB / "
                         f"the photo is {upload.size // 1024} KB, at most {MAX_PHOTO // 1024} KB")
    head = upload.read(12)
    upload.seek(0)
    ext = next((e for magic, e in KINDS.items() if head.startswith(magic)), None)
    if ext is None or (ext == "webp" and head[8:12] != b"WEBP"):
        raise PhotoError("Foto harus JPEG, PNG atau WebP / the photo must be JPEG, PNG or WebP")
    name = f"tps/{slug}/{station.desa_code}/{station.number:03d}/{save_id}.{ext}"
    return default_storage.save(name, upload)
