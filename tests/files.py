"""Real-looking document bytes for upload tests, and reading text back out of generated PDFs."""

from __future__ import annotations

import base64
import io
import re
import zipfile
import zlib
from contextlib import suppress


def docx_bytes(text: str = "document") -> bytes:
    """The smallest zip that core.uploads recognises as a Word document, byte-identical on every call."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, body in (
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", f"<w:document>{text}</w:document>"),
        ):
            # A fixed timestamp: writestr stamps the clock otherwise, and two calls either side of a second differ.
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), body)
    return buffer.getvalue()


def pdf_bytes(text: str = "document") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def pdf_text(body: bytes) -> bytes:
    """The PDF's content streams decoded (ReportLab writes them ASCII85 over Flate)."""
    chunks = [body]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", body, re.S):
        data = stream.strip()
        with suppress(ValueError):
            data = base64.a85decode(data.removesuffix(b"~>"), adobe=False)
        with suppress(zlib.error):
            data = zlib.decompress(data)
        chunks.append(data)
    return b"\n".join(chunks)
