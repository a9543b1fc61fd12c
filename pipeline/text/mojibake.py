"""Vietnamese saved in a legacy 8-bit encoding and then read as Latin-1/Windows-1252
(mojibake): "Vieät Nam" (VNI), "ViÖt Nam" (TCVN3/ABC), "Viêòt Nam" (Windows-1258), or UTF-8
read as Windows-1252 and saved again ("Viá»‡t Nam").

Such text is valid UTF-8, so decoding accepts it, and without this check it would be
segmented into nonsense words. The legacy encodings are recognised by their marks, never
guessed from a single character: the text must lack the letters every Unicode Vietnamese
text is full of (ă đ ơ ư and the precomposed vowels U+1EA0–U+1EF9) while most of its words
carry Latin-1 letters or symbols, and one encoding's marks must explain those words.
Double-encoded UTF-8 is repaired, since that inverse is exact (it fails on anything else);
the 8-bit encodings are rejected with their name, because no standard codec inverts VNI or
TCVN3 and a wrong table would corrupt every tone mark silently.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

UNICODE_VIETNAMESE = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
WORD = re.compile(r"\S+")
NON_ASCII = re.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                       r"\u02c6\u02dc\u2020\u2021\u2030\u2039\u203a\u2122\u20ac\u201a\u201e]")
# The marks each encoding leaves once its bytes are read as Windows-1252 (or Latin-1).
SIGNATURES = {
    # tone and vowel marks are bytes after the base letter: aø aù aû aõ aï, aâ (â), aê (ă),
    # ô (ơ), ö (ư), ñ (đ)
    "VNI": re.compile(r"[aeiouyAEIOUYôöÔÖ][øùûõïØÙÛÕÏ]|[aeoAEO][âáàåãäÂÁÀÅÃÄ]|"
                      r"[aA][êéèúüëÊÉÈÚÜË]|[ñÑ]|öô|ÖÔ"),
    # precomposed lower-case letters on 0xA1-0xFF: § (Đ), ® (đ), µ (à), ¸ (á), ¶ (ả), Ö (ệ)
    "TCVN3 (ABC)": re.compile(r"[\u00a1-\u00bf]\w|\w[\u00a1-\u00bf]|[§®]"),
    # base letters plus combining tone bytes: Ì (grave), ì (acute), Ò (hook), Þ (tilde),
    # ò (dot below), after a vowel; ð/Ð (đ/Đ), õ (ơ), ý (ư)
    "Windows-1258": re.compile(r"[aeiouyâêôõýãAEIOUYÂÊÔÕÝÃ][ÌìÒÞò]|[ðÐ]\w"),
}
DOUBLE_UTF8 = re.compile(r"[ÂÃÄÅÆáâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
                         r"\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c"
                         r"\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac"
                         r"\u2122]")
MIN_WORDS = 8
MARKED_SHARE = 0.3      # Vietnamese marks over half its syllables; French or German < 0.2
VIETNAMESE_SHARE = 0.005
SIGNATURE_SHARE = 0.25


@dataclass(frozen=True)
class Mojibake:
    """What `detect_mojibake` found: the likely encoding, and the repaired text when the
    repair is exact (None: reject)."""
    encoding: str
    repaired: str | None = None

    @property
    def reason(self) -> str:
        return (f"mojibake: Vietnamese in the legacy {self.encoding} encoding read as "
                "Windows-1252 (convert the file to Unicode UTF-8)")


def sloppy_cp1252_bytes(text: str) -> bytes | None:
    """The bytes a Windows-1252 (or Latin-1) decoder turned into `text`, if there are any."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return None
            out.append(ord(char))
    return bytes(out)


def repair_double_utf8(text: str) -> str | None:
    data = sloppy_cp1252_bytes(text)
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


def detect_mojibake(text: str) -> Mojibake | None:
    """The legacy encoding Vietnamese `text` was mangled from, or None for sound text."""
    text = unicodedata.normalize("NFC", text)
    words = WORD.findall(text)
    if len(words) < MIN_WORDS or len(UNICODE_VIETNAMESE.findall(text)) > VIETNAMESE_SHARE * len(
            text):
        return None
    marked = [w for w in words if NON_ASCII.search(w)]
    if len(marked) < MARKED_SHARE * len(words):
        return None
    if sum(bool(DOUBLE_UTF8.search(w)) for w in marked) >= SIGNATURE_SHARE * len(marked):
        repaired = repair_double_utf8(text)
        return Mojibake("UTF-8", repaired if repaired and UNICODE_VIETNAMESE.search(repaired)
                        else None)
    counts = {name: sum(bool(pattern.search(w)) for w in marked)
              for name, pattern in SIGNATURES.items()}
    encoding, count = max(counts.items(), key=lambda item: item[1])
    return Mojibake(encoding) if count >= SIGNATURE_SHARE * len(marked) else None
