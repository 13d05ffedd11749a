"""Tiny but real files of each accepted type, built in memory for upload tests."""

import io
import struct
import zipfile
import zlib

from PIL import Image
from werkzeug.datastructures import FileStorage

# EXIF tag numbers: GPSInfo (IFD pointer), Make, and in the GPS IFD the latitude.
GPS_IFD = 0x8825
MAKE = 0x010F


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(kind="jpeg", gps=True):
    """A small photo; with `gps`, carrying EXIF with a camera make and a GPS position."""
    image = Image.new("RGB", (16, 12), (200, 30, 30))
    output = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[MAKE] = "KameraUji"
        exif[GPS_IFD] = {1: "S", 2: (0.0, 30.0, 0.0), 3: "E", 4: (117.0, 9.0, 0.0)}
    image.save(output, format="JPEG" if kind == "jpeg" else "PNG", exif=exif)
    return output.getvalue()


def office_bytes(kind="docx"):
    """A zip container shaped like an Office Open XML file (docx or xlsx)."""
    folder = "word" if kind == "docx" else "xl"
    main = "document.xml" if kind == "docx" else "workbook.xml"
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(f"{folder}/{main}", '<?xml version="1.0"?><root/>')
    return output.getvalue()


def _png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def huge_png(width=11000, height=10900):
    """A PNG whose header claims `width` x `height` RGBA pixels (the size of the
    decompression bomb the security probe sent), with only its first rows of data:
    what a server decodes from the header alone is what matters."""
    rows = zlib.compress(b"\0" * (1 + 4 * width) * 4)
    return (b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b""))


def huge_jpeg(width=11000, height=10900):
    """A small real JPEG whose frame header is rewritten to claim `width` x `height`."""
    data = bytearray(image_bytes("jpeg", gps=False))
    start = data.index(b"\xff\xc0")  # SOF0: length(2) precision(1) height(2) width(2)
    data[start + 5:start + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def upload(data, filename):
    """What Flask hands a view for one file of a multipart form."""
    return FileStorage(stream=io.BytesIO(data), filename=filename)


VALID = {
    "surat.pdf": pdf_bytes,
    "foto.jpg": lambda: image_bytes("jpeg"),
    "foto.jpeg": lambda: image_bytes("jpeg"),
    "peta.png": lambda: image_bytes("png"),
    "laporan.docx": lambda: office_bytes("docx"),
    "tabel.xlsx": lambda: office_bytes("xlsx"),
}
