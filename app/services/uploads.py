"""Attachments: checked by content, stripped of photo metadata, stored privately.

Files live under UPLOAD_FOLDER (outside `static/`) with random names; they are
served only by the attachment view after the reader's access is checked.
"""

import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow only warns between its limit and twice its limit, and then decodes: an
# 11000 x 10900 PNG of 489 KB took a worker 20 s and 1 GB. `strip_metadata` reads the
# size from the header and refuses above MAX_IMAGE_PIXELS (config) before decoding;
# Pillow's own limit stays as a second guard for any other code that opens images.
Image.MAX_IMAGE_PIXELS = 40_000_000

# extension -> (content type, kind)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "png": ("image/png", "png"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class UploadError(ValueError):
    """A file the user sent cannot be accepted; the message says why, for them."""


@dataclass
class PreparedUpload:
    original_name: str
    extension: str
    content_type: str
    data: bytes

    @property
    def size(self):
        return len(self.data)

    @property
    def sha256(self):
        return hashlib.sha256(self.data).hexdigest()


def allowed_extensions_text():
    return "PDF, JPG, PNG, DOCX, XLSX"


def detect_kind(data):
    """What the bytes really are, by their signature: pdf, jpeg, png, docx, xlsx, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


MAX_NAME = 200


def _safe_name(name):
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"/\\|?*')
    if len(name) > MAX_NAME:
        # Shorten the stem, never the extension: the type is checked by it.
        stem, dot, extension = name.rpartition(".")
        keep = MAX_NAME - len(extension) - 1
        name = stem[:keep] + dot + extension if dot and keep > 0 else name[:MAX_NAME]
    return name or "lampiran"


def prepare(file_storage):
    """Check one uploaded file; return it ready to store, or raise UploadError."""
    name = _safe_name(getattr(file_storage, "filename", ""))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise UploadError(
            _("%(name)s: this type of file is not accepted. Allowed: %(types)s.",
              name=name, types=allowed_extensions_text())
        )
    limit = current_app.config["MAX_ATTACHMENT_SIZE"]
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_("%(name)s is larger than %(mb)s MB.", name=name,
                            mb=_megabytes(limit)))
    if not data:
        raise UploadError(_("%(name)s is empty.", name=name))
    content_type, kind = ALLOWED[extension]
    if detect_kind(data) != kind:
        raise UploadError(
            _("%(name)s does not contain what its name says (%(ext)s).", name=name,
              ext=extension.upper())
        )
    if kind in ("jpeg", "png"):
        data = strip_metadata(data, kind, name)
    return PreparedUpload(name, extension, content_type, data)


def prepare_all(files):
    """Check every non-empty upload of a form field; raise on the first bad one."""
    files = [f for f in (files or []) if f and getattr(f, "filename", "")]
    limit = current_app.config["MAX_ATTACHMENTS"]
    if len(files) > limit:
        raise UploadError(_("At most %(n)d files can be attached.", n=limit))
    return [prepare(f) for f in files]


def strip_metadata(data, kind, name):
    """Re-encode a photo so that nothing but its pixels survives (EXIF holds GPS).

    The size is read from the header first: a photo of more than MAX_IMAGE_PIXELS is
    refused before it is decoded, so one upload never holds more than that many pixels
    (four bytes each at most, plus the turned copy) in memory."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            _check_pixels(image, name)
            image.load()
            # In place: a turned copy beside the original would double the memory.
            ImageOps.exif_transpose(image, in_place=True)
            output = io.BytesIO()
            if kind == "jpeg":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(output, format="JPEG", quality=90, optimize=True)
            else:
                image.save(output, format="PNG", optimize=True)
    except UploadError:
        raise
    except Image.DecompressionBombError:  # Pillow's own check, above twice its limit
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise UploadError(_("%(name)s is not a readable image.", name=name)) from None
    return output.getvalue()


def _check_pixels(image, name):
    width, height = image.size
    if width * height > current_app.config["MAX_IMAGE_PIXELS"]:
        raise _too_many_pixels(name)


def _too_many_pixels(name):
    megapixels = "{:g}".format(current_app.config["MAX_IMAGE_PIXELS"] / 1_000_000)
    return UploadError(_("%(name)s has too many pixels: at most %(mpx)s megapixels are "
                         "accepted.", name=name, mpx=megapixels))


def _megabytes(size):
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 1 else f"{value:.1f}"


class LocalStorage:
    """Files on the local disk, two directory levels deep under a private root."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, stored_name):
        if not stored_name or "/" in stored_name or "\\" in stored_name or ".." in stored_name:
            raise FileNotFoundError(stored_name)
        return self.root / stored_name[:2] / stored_name[2:4] / stored_name

    def save(self, upload):
        stored_name = f"{secrets.token_hex(16)}.{upload.extension}"
        path = self._path(stored_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(upload.data)
        return stored_name

    def path(self, stored_name):
        return self._path(stored_name)

    def delete(self, stored_name):
        try:
            self._path(stored_name).unlink()
        except FileNotFoundError:
            pass


def storage():
    return LocalStorage(current_app.config["UPLOAD_FOLDER"])
