"""Which province an article is about, from the names in its text, with the evidence kept.

Names come from the vietnamadminunits dataset (63 provinces before the 2025 merger, their
districts, and the 2025 converter), not typed by hand. Canonical names are the dataset's
short names, except 'Thừa Thiên Huế' (the province's name for the years our corpora cover).

Traps the rules below exist for: 'Hồ Chí Minh' in "tư tưởng Hồ Chí Minh" is not the city;
the battle of Điện Biên Phủ is national history, not the province; 'Thái Bình Dương' is the
Pacific; 'Châu Thành' is a district in ten provinces; a newspaper's own mark ("ĐBP -",
"(GLO)-") says where an article comes from even when the province is never named.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from vntopics.pipeline.text.tone import normalise_tone_marks
from vntopics.pipeline.text.normalise import HEADER_LINES

RENAMED = {"Huế": "Thừa Thiên Huế"}
ALIASES = {
    "Thừa Thiên Huế": ["Thừa Thiên Huế", "Thừa Thiên - Huế", "Thừa Thiên-Huế", "TT-Huế",
                       "TT Huế", "Huế"],
    "Bà Rịa - Vũng Tàu": ["Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "Bà Rịa – Vũng Tàu",
                          "BR-VT", "Vũng Tàu", "Bà Rịa"],
    "Đắk Lắk": ["Đắk Lắk", "Đắc Lắc", "Đăk Lăk", "Đắk Lăk", "Dak Lak"],
    "Đắk Nông": ["Đắk Nông", "Đắc Nông", "Đăk Nông", "Dak Nong"],
    "Bắc Kạn": ["Bắc Kạn", "Bắc Cạn"],
    "Kon Tum": ["Kon Tum", "Kontum"],
    "Hồ Chí Minh": ["TP.HCM", "TP. HCM", "TP HCM", "TPHCM", "TP.Hồ Chí Minh",
                    "TP. Hồ Chí Minh", "TP Hồ Chí Minh", "Thành phố Hồ Chí Minh",
                    "thành phố Hồ Chí Minh", "Sài Gòn", "Thành ủy TP.HCM"],
}
# Matched so they consume the text, then ignored: they are not evidence of a province.
NOT_A_PLACE = ["Hồ Chí Minh", "Điện Biên Phủ", "Thái Bình Dương", "Hòa Bình Dương"]
# Newspapers' own marks at the start of an article, and local papers named in the text.
MARKS = {"ĐBP": "Điện Biên", "(GLO)": "Gia Lai", "(BGL)": "Gia Lai", "(HNM)": "Hà Nội",
         "(CT)": "Cần Thơ", "(BCT)": "Cần Thơ", "(QNO)": "Quảng Nam", "(ĐN)": "Đà Nẵng",
         "(BTN)": "Tây Ninh", "(BQT)": "Quảng Trị", "(BĐN)": "Đồng Nai", "(BLA)": "Long An",
         "(QBĐT)": "Quảng Bình", "(HBĐT)": "Hòa Bình", "(BHG)": "Hà Giang",
         "(YBĐT)": "Yên Bái", "(PYO)": "Phú Yên", "(BKT)": "Kon Tum", "(TTXVN)": None}
ADMIN_BEFORE = re.compile(r"(?:tỉnh|thành phố|TP\.?|Tỉnh ủy|Thành ủy|UBND tỉnh|HĐND tỉnh|"
                          r"Đảng bộ tỉnh|Đảng bộ thành phố)\s*$", re.IGNORECASE)
DISTRICT_BEFORE = re.compile(r"(?:huyện|quận|thị xã|thành phố|TP\.?|Huyện ủy|Quận ủy|"
                             r"Thị ủy|Thành ủy)\s*$", re.IGNORECASE)
PAPER_BEFORE = re.compile(r"(?:Báo|báo|Đài PT-TH|Đài Phát thanh - Truyền hình)\s*$")
TITLE_WEIGHT = 3.0
MIN_SCORE = 2.0
MIN_MARGIN = 2.0


@dataclass(frozen=True)
class ProvinceEvidence:
    province: str
    score: float
    evidence: str


@dataclass(frozen=True)
class Gazetteer:
    pattern: re.Pattern
    kind: dict[str, tuple[str, str | None]]  # surface form -> (kind, province)
    provinces: tuple[str, ...]
    by_key: dict[str, str]
    merged_2025: dict[str, str]


def _ascii_key(name: str) -> str:
    name = re.sub(r"^\s*(?:tỉnh|thành phố|tp\.?)\s+", "", name.strip(), flags=re.IGNORECASE)
    name = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in name if not unicodedata.combining(c))
                  .lower())


def trie_alternation(forms) -> str:
    """A regex matching any of `forms`, longest first, written as a trie: Python's `re` tries
    a flat alternation's ~1,000 names one by one at every position of every article, while a
    trie rejects a position on its first character (ingest ran ~3× slower with the flat one)."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items())
                    if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # a form ends here: the longer forms through this node are tried first (greedy `?`)
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(trie) + ")"


def _rows(fields: list[str], table: str) -> list[tuple]:
    """Distinct `fields` of a vietnamadminunits table, through its public `database.get_data`
    (admin_units_legacy: the 63 provinces and their districts; admin_units: the 34 of 2025)."""
    from vietnamadminunits.database import get_data
    return [tuple(row[field] for field in fields) for row in get_data(fields, table=table)]


def _converter_2025() -> dict:
    """The package's legacy -> 2025 province table (what its `convert_address` uses)."""
    # vietnamadminunits has no public accessor for converter_2025.json: read it as package data.
    data = resources.files("vietnamadminunits").joinpath("data", "converter_2025.json")
    return json.loads(data.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the name index once per process."""
    legacy = _rows(["provinceShort", "provinceKey", "districtShort", "districtType"],
                   "admin_units_legacy")
    current = dict(_rows(["provinceKey", "provinceShort"], "admin_units"))
    canonical = {short: RENAMED.get(short, short) for short, *_ in legacy}
    provinces = tuple(sorted(set(canonical.values())))
    kind: dict[str, tuple[str, str | None]] = {}
    for province in provinces:
        for form in ALIASES.get(province, [province]):
            kind[normalise_tone_marks(form)] = ("province", province)
    districts: dict[str, set[str]] = defaultdict(set)
    for short, _, district, _ in legacy:
        districts[normalise_tone_marks(district)].add(canonical[short])
    for district, owners in districts.items():
        if len(owners) == 1 and district not in kind and not district.isdigit():
            kind[district] = ("district", next(iter(owners)))
    for form in NOT_A_PLACE:
        kind[form] = ("ignore", None)
    for mark, province in MARKS.items():
        kind[mark] = ("mark", province)
    pattern = re.compile(r"(?<!\w)" + trie_alternation(kind) + r"(?!\w)")
    by_key = {_ascii_key(p): p for p in provinces}
    for province, forms_ in ALIASES.items():
        by_key.update({_ascii_key(f): province for f in forms_})
    by_key.update({"hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh", "hochiminh": "Hồ Chí Minh"})
    old_key = {canonical[short]: key for short, key, *_ in legacy}
    converter = _converter_2025()
    new_of_old = {old: new for new, olds in converter["DICT_PROVINCE"].items() for old in olds}
    merged = {p: current[new_of_old[old_key[p]]] for p in provinces
              if new_of_old.get(old_key[p]) in current}
    return Gazetteer(pattern, kind, provinces, by_key, merged)


def canonical_province(name: str | None) -> str | None:
    """'tỉnh An Giang', 'TP.HCM', 'Thừa Thiên - Huế', 'an giang' -> the canonical name."""
    if not name:
        return None
    return gazetteer().by_key.get(_ascii_key(normalise_tone_marks(str(name))))


def province_2025(province: str | None) -> str | None:
    """The province it belongs to since the 1 July 2025 merger (63 -> 34)."""
    return gazetteer().merged_2025.get(province or "")


def _weight(kind: str, before: str, in_header: bool) -> float:
    if kind == "province":
        return 2.0 if ADMIN_BEFORE.search(before) else 1.0
    if kind == "district":
        return 1.5 if DISTRICT_BEFORE.search(before) else 0.5
    return 3.0 if in_header else 1.0  # a newspaper's mark opening the article


def province_scores(text: str, title: str = "") -> dict[str, tuple[float, list[str]]]:
    """Weighted mentions per province; the title counts three times a body line."""
    index = gazetteer()
    scores: dict[str, list] = defaultdict(lambda: [0.0, []])
    header_end = sum(len(line) + 1 for line in text.split("\n")[:HEADER_LINES])
    for source, factor in ((title, TITLE_WEIGHT), (text, 1.0)):
        for match in index.pattern.finditer(source):
            kind, province = index.kind[match.group(0)]
            before = source[max(0, match.start() - 40):match.start()]
            if kind == "ignore" or province is None:
                continue
            if kind == "province" and PAPER_BEFORE.search(before):
                kind = "mark"
            if kind == "district" and " " not in match.group(0) \
                    and not DISTRICT_BEFORE.search(before):
                continue  # one-word district names are too often a person's name
            weight = _weight(kind, before, source is text and match.start() < header_end)
            entry = scores[province]
            entry[0] += weight * factor
            entry[1].append(f"{match.group(0)}×{weight * factor:g}")
    return {p: (score, notes) for p, (score, notes) in scores.items()}


def infer_province(text: str, title: str = "") -> ProvinceEvidence | None:
    """The province the article is clearly about, or None when the text does not say."""
    scores = province_scores(text, title)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: (-item[1][0], item[0]))
    best, (score, notes) = ranked[0]
    runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if score < MIN_SCORE or score < MIN_MARGIN * runner_up:
        return None
    counted = {}
    for note in notes:
        counted[note] = counted.get(note, 0) + 1
    shown = ", ".join(f"{n} ({c})" if c > 1 else n for n, c in list(counted.items())[:6])
    rival = f"; next {ranked[1][0]} {runner_up:g}" if len(ranked) > 1 else ""
    return ProvinceEvidence(best, score, f"{best} score {score:g} from {shown}{rival}")
