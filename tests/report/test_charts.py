"""The report's static SVG charts (report/charts.py): well-formed SVG, one mark per value or
series, article-derived labels escaped, missing values (NaN) drawn as gaps, not crashes."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from vntopics.pipeline.report.charts import PALETTE, heatmap, interval_lines, small_multiples

SVG = "{http://www.w3.org/2000/svg}"
PROVINCES = ["Hà Nội (n=40)", "Thừa Thiên Huế (n=12)", "Bà Rịa–Vũng Tàu (n=7)"]
EVIL = '<tỉnh> "Đắk Lắk" & \'Cà Mau\''


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 0 and height > 0
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def points(element: ET.Element) -> list[tuple[float, float]]:
    pairs = [p.split(",") for p in element.get("points").split()]
    return [(float(x), float(y)) for x, y in pairs]


def test_heatmap_one_cell_per_value_with_its_percentage():
    values = np.array([[0.52, 0.10, 0.38], [0.05, 0.70, 0.25], [0.33, 0.33, 0.34]])
    root = parse(heatmap(PROVINCES, ["T0", "T1", "T2"], values, "Chủ đề theo tỉnh (LDA)"))
    assert root.find(f"{SVG}title").text == "Chủ đề theo tỉnh (LDA)"
    cells = root.findall(f"{SVG}rect")
    assert len(cells) == values.size
    tooltips = [c.find(f"{SVG}title").text for c in cells]
    assert tooltips[0] == "Hà Nội (n=40), T0: 0.520"
    assert tooltips[4] == "Thừa Thiên Huế (n=12), T1: 0.700"
    labels = texts(root)
    assert labels[:3] == ["T0", "T1", "T2"] and all(p in labels for p in PROVINCES)
    assert ["52", "10", "38", "5", "70", "25", "33", "33", "34"] == [
        t for t in labels if t.isdigit()]
    # the largest value is the deepest colour, and a darker cell gets white ink
    fills = [c.get("fill") for c in cells]
    assert fills[4] == "rgb(30,85,180)" and fills[3] != fills[4]
    white = [t.text for t in root.iter(f"{SVG}text") if t.get("fill") == "#fff"]
    assert white == ["52", "70"]                      # above 60 % of the peak


def test_heatmap_escapes_labels():
    svg = heatmap([EVIL], ["T0: <b>xây_dựng</b>"], np.array([[0.4]]), 'Tiêu đề "<script>"')
    assert "<script>" not in svg and "<b>" not in svg and "<tỉnh>" not in svg
    root = parse(svg)
    assert EVIL in texts(root) and "T0: <b>xây_dựng</b>" in texts(root)
    assert root.find(f"{SVG}title").text == 'Tiêu đề "<script>"'


@pytest.mark.filterwarnings("ignore:All-NaN slice")
@pytest.mark.parametrize("values", [np.array([[0.5, np.nan], [0.2, 0.3]]),
                                    np.array([[np.nan, np.nan]])])
def test_heatmap_with_missing_values_does_not_crash(values):
    rows = PROVINCES[:values.shape[0]]
    root = parse(heatmap(rows, ["T0", "T1"], values, "Thiếu dữ liệu"))
    cells = root.findall(f"{SVG}rect")
    assert len(cells) == values.size
    assert all(c.get("fill") == "rgb(255,255,255)" for c, v in zip(cells, values.ravel())
               if np.isnan(v))


def test_interval_lines_one_line_and_band_per_series():
    years = ["2019", "2020", "2021", "2022"]
    series = {"T0: cách_ly, y_tế": (np.array([0.1, 0.4, 0.3, 0.2]),
                                   np.array([0.05, 0.3, 0.25, 0.1]),
                                   np.array([0.15, 0.5, 0.35, 0.3])),
              "T1: đội, hlv": (np.array([0.5, 0.2, 0.3, 0.4]), np.array([0.4, 0.1, 0.2, 0.35]),
                               np.array([0.6, 0.3, 0.4, 0.45]))}
    root = parse(interval_lines(years, series, "Chủ đề theo năm"))
    lines = root.findall(f"{SVG}polyline")
    bands = root.findall(f"{SVG}polygon")
    assert len(lines) == len(bands) == 2
    assert [l.get("stroke") for l in lines] == list(PALETTE[:2])
    assert all(len(points(l)) == 4 for l in lines) and all(len(points(b)) == 8 for b in bands)
    labels = texts(root)
    assert all(y in labels for y in years) and "T1: đội, hlv" in labels
    # higher values are drawn higher (smaller y); the band encloses the line
    first = points(lines[0])
    assert first[1][1] < first[0][1] and first[1][1] < first[2][1]
    band = points(bands[0])
    for i, (x, y) in enumerate(first):
        assert band[i][1] <= y <= band[-1 - i][1] and band[i][0] == x
    # the y axis ticks reach the highest interval bound (0.6) with headroom
    ticks = [float(t) for t in labels if re.fullmatch(r"\d\.\d\d", t)]
    assert ticks[0] == 0 and 0.6 <= ticks[-1] <= 0.7


def test_interval_lines_escapes_labels():
    svg = interval_lines([EVIL], {EVIL: (np.array([0.2]),) * 3}, EVIL)
    assert "<tỉnh>" not in svg
    root = parse(svg)
    assert texts(root).count(EVIL) == 2 and root.find(f"{SVG}title").text == EVIL


def test_interval_lines_with_missing_values_and_no_series_do_not_crash():
    with np.errstate(all="ignore"):
        parse(interval_lines(["2020", "2021"], {"T0": (np.array([0.1, np.nan]),
                                                      np.array([0.05, np.nan]),
                                                      np.array([0.2, np.nan]))}, "NaN"))
    empty = parse(interval_lines([], {}, "Không có dữ liệu"))
    assert empty.findall(f"{SVG}polyline") == []


def test_small_multiples_one_panel_per_province_one_line_per_series():
    years = ["2020", "2021", "2022"]
    panels = {
        "Hà Nội (n=40)": {"T0: cách_ly": np.array([0.2, 0.3, 0.4]),
                          "T1: bóng_đá": np.array([0.5, 0.4, 0.3])},
        "Cần Thơ (n=9)": {"T0: cách_ly": np.array([0.1, 0.2, 0.6]),
                          "T1: bóng_đá": np.array([0.3, 0.3, 0.3])},
        "Gia Lai (n=7)": {"T0: cách_ly": np.array([0.3, 0.2, 0.1]),
                          "T1: bóng_đá": np.array([0.6, 0.7, 0.8])},
        "Thanh Hóa (n=6)": {"T0: cách_ly": np.array([0.2, 0.2, 0.2]),
                            "T1: bóng_đá": np.array([0.1, 0.1, 0.2])}}
    root = parse(small_multiples(years, panels, "Tỉnh × năm", columns=3))
    assert len(root.findall(f"{SVG}polyline")) == 8
    frames = [r for r in root.findall(f"{SVG}rect") if r.get("fill") == "none"]
    assert len(frames) == 4
    assert len({(f.get("x"), f.get("y")) for f in frames}) == 4   # no panel drawn on another
    assert float(root.get("height")) > 2 * 140                     # 4 panels: two rows
    labels = texts(root)
    assert all(p in labels for p in panels) and labels.count("2021") == 4
    assert labels.count("0.88") == 4                               # one shared y scale
    legend = [t for t in labels if t.startswith(("T0:", "T1:"))]
    assert legend == ["T0: cách_ly", "T1: bóng_đá"]


def test_small_multiples_breaks_lines_at_missing_values():
    years = ["2019", "2020", "2021", "2022", "2023"]
    panels = {EVIL: {"T0": np.array([0.2, 0.3, np.nan, 0.4, 0.5]),
                     "T1": np.array([np.nan, 0.1, np.nan, np.nan, np.nan]),
                     "T2": np.array([np.nan] * 5)}}
    svg = small_multiples(years, panels, "Khoảng trống")
    assert "nan" not in svg and "<tỉnh>" not in svg
    root = parse(svg)
    lines = root.findall(f"{SVG}polyline")
    assert [len(points(l)) for l in lines] == [2, 2]               # T0 split at 2021
    assert len(root.findall(f"{SVG}circle")) == 1                  # T1's lone value
    assert EVIL in texts(root)
    assert parse(small_multiples(years, {}, "Trống")).findall(f"{SVG}polyline") == []


def test_missing_values_are_left_out_never_written_as_nan():

    nan = float("nan")
    line = interval_lines(["2019", "2020", "2021"],
                          {"Cần Thơ": (np.array([0.2, nan, 0.4]), np.array([0.1, nan, 0.3]),
                                       np.array([0.3, nan, 0.5]))}, "năm")
    empty = interval_lines(["2020"], {"An Giang": (np.array([nan]),) * 3}, "năm")
    grid = heatmap(["Bến Tre"], ["T0", "T1"], np.array([[0.5, nan]]), "tỉnh")
    for svg in (line, empty, grid):
        assert "nan" not in svg.lower()
        ET.fromstring(svg)
    assert line.count("<polyline") == 1


def test_markdown_headers_are_escaped_like_cells():
    import pandas as pd

    from vntopics.pipeline.report.format import markdown_table

    table = markdown_table(pd.DataFrame({"L03 Y tế | *khẩn*": [0.5]}))
    header = table.splitlines()[0]
    assert header == "| L03 Y tế \\| \\*khẩn\\* |"
