"""Real mojibake for the tests: Vietnamese text encoded as the old Vietnamese fonts did (VNI,
TCVN3/ABC, Windows-1258) and then read back as Windows-1252, as it reaches us from files
converted by tools that did not know the font.

VNI writes a base letter followed by mark bytes; TCVN3 (ABC) has one byte per lower-case
letter (upper case came from a separate font, so the byte is the lower-case one); Windows-1258
has the base letters with circumflex, breve and horn plus combining tone bytes.
"""
from __future__ import annotations

import unicodedata

TONES = {"\u0300": 0, "\u0301": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}  # ` ' ? ~ .
# VNI: mark bytes (as Windows-1252 characters) per tone, after a plain vowel, â/ê/ô, and ă
VNI_TONE = "øùûõï"
VNI_CIRCUMFLEX_TONE = "àáåãä"
VNI_BREVE_TONE = "èéúüë"
VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
              "ỵ": "î"}
# TCVN3 bytes 0xA1-0xAE and 0xB5-0xFE (the lower-case letters), per the TCVN 5712 table.
TCVN3_HIGH = ("ĂÂÊÔƠƯĐăâêôơưđ", 0xA1)
TCVN3_LOWER = ("àảãáạ_ằẳẵắ_______ặầẩẫấậè_ẻẽéẹềểễếệìỉ___ĩíịò_ỏõóọồổỗốộờởỡớợù_ủũúụừửữứựỳỷỹýỵ",
               0xB5)


def split_tone(char: str) -> tuple[str, int | None]:
    """'ệ' -> ('ê', 4): the letter without its tone mark, and the tone."""
    parts = unicodedata.normalize("NFD", char)
    tone = next((TONES[c] for c in parts if c in TONES), None)
    return unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)), tone


def vni_char(char: str) -> str:
    lower = char.lower()
    if lower in VNI_SINGLE and len(lower) == 1:
        code = VNI_SINGLE[lower]
        return code.upper() if char.isupper() else code
    base, tone = split_tone(lower)
    if tone is None and base not in "âêôă":
        return char
    if base in "âêô":
        letter, mark = base.translate(str.maketrans("âêô", "aeo")), (
            "â" if tone is None else VNI_CIRCUMFLEX_TONE[tone])
    elif base == "ă":
        letter, mark = "a", "ê" if tone is None else VNI_BREVE_TONE[tone]
    elif base in "ơư":
        letter, mark = VNI_SINGLE[base], VNI_TONE[tone]
    else:
        letter, mark = base, VNI_TONE[tone]
    return (letter + mark).upper() if char.isupper() else letter + mark


def tcvn3_table() -> dict[str, int]:
    table = {}
    for letters, start in (TCVN3_HIGH, TCVN3_LOWER):
        for offset, letter in enumerate(letters):
            if letter != "_":
                table.setdefault(letter, start + offset)
    return table


def to_vni(text: str) -> str:
    return "".join(vni_char(c) for c in unicodedata.normalize("NFC", text))


def to_tcvn3(text: str) -> str:
    table = tcvn3_table()
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        code = table.get(char, table.get(char.lower()))
        out += bytes([code]) if code else char.encode("cp1252", "replace")
    return out.decode("cp1252", "replace").replace("\ufffd", "?")


def to_cp1258(text: str) -> str:
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, tone = split_tone(char)
            out += base.encode("cp1258", "replace")
            out += list(TONES)[tone].encode("cp1258") if tone is not None else b""
    return out.decode("cp1252", "replace")


def to_double_utf8(text: str) -> str:
    """As Windows tools read it: the five bytes Windows-1252 leaves undefined pass through."""
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b)
                   for b in text.encode("utf-8"))
