"""Bytes of a page -> text. Vietnamese sites still serve windows-1258 and declare charsets
they do not use, so the declaration is checked against the bytes before it is believed."""
from __future__ import annotations

import codecs
import re
import unicodedata

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# Declared "Western" code pages are usually UTF-8 or windows-1258 in disguise.
WESTERN = {"cp1252", "iso8859-1", "iso8859-15", "ascii"}
FALLBACK = "cp1258"   # windows-1258: the Vietnamese Windows code page


def codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def declared_charset(content_type: str, data: bytes) -> str | None:
    """The charset the HTTP header names, else the page's <meta> or <?xml encoding=?>."""
    found = HEADER_CHARSET.search(content_type or "")
    if found and codec_name(found.group(1)):
        return codec_name(found.group(1))
    head = data[:4096]
    for pattern in (META_CHARSET, XML_ENCODING):
        match = pattern.search(head)
        if match and codec_name(match.group(1).decode("ascii", "ignore")):
            return codec_name(match.group(1).decode("ascii", "ignore"))
    return None


def decode_page(data: bytes, content_type: str = "") -> tuple[str, str]:
    """(text in NFC, codec used). A declaration is used when the bytes agree with it; UTF-8
    is tried next (the usual truth behind a wrong label), then windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        return unicodedata.normalize("NFC", data[3:].decode("utf-8", "replace")), "utf-8"
    declared = declared_charset(content_type, data)
    order = [declared] if declared and declared not in WESTERN else []
    order += ["utf-8", FALLBACK]
    for name in order:
        try:
            return unicodedata.normalize("NFC", data.decode(name)), name
        except (UnicodeDecodeError, LookupError):
            continue
    return unicodedata.normalize("NFC", data.decode(FALLBACK, "replace")), FALLBACK
