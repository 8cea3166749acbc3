"""Charts drawn at build time: every chart generated, placed on its page with alt text and a data table whose
numbers are the methods' output, readable contrast inside the SVG, and unknown chart ids refused by name."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from college.cli import app
from college.curriculum import Severity, load_curriculum
from college.methods.spc import xmr_chart
from college.methods.waiting_times import weekly_band_counts
from college.site.charts.catalogue import CHARTS, PALE, seasonal_naive_forecast
from college.site.charts.markers import chart_path
from college.site.charts.svg import figure_to_svg
from college.site.pages import site_pages
from tests.conftest import REPO

DATA = REPO / "data"
TABLE = re.compile(r'<table data-chart="(?P<id>[^"]+)">(?P<body>.*?)</table>', re.DOTALL)
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]+\.svg)\)")


@cache
def real_pages() -> dict[str, str]:
    return site_pages(load_curriculum(REPO))


def table_rows(markdown: str, chart_id: str) -> list[list[str]]:
    """The data table of a chart on a page: header row first, then one list of cell texts per row."""
    match = next(m for m in TABLE.finditer(markdown) if m.group("id") == chart_id)
    rows = re.findall(r"<tr>(.*?)</tr>", match.group("body"), re.DOTALL)
    return [[html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)] for row in rows]


def page_with(chart_id: str) -> str:
    return next(
        text
        for path, text in real_pages().items()
        if path.endswith(".md") and f'data-chart="{chart_id}"' in text
    )


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def test_contrast_arithmetic_matches_wcag() -> None:
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#005eb8") == pytest.approx(6.38, abs=0.01)  # NHS Blue on white
    assert contrast_on_white("#ed8b00") < 3  # NHS Orange is too light for lines on white


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_each_chart_is_svg_with_readable_text_and_lines(chart_id: str) -> None:
    chart = CHARTS[chart_id](DATA)
    svg = figure_to_svg(chart.figure)
    assert svg == figure_to_svg(CHARTS[chart_id](DATA).figure), "the same data must give the same file"
    assert not re.search(r"(href=\"|url\(|@import)\s*['\"]?https?:", svg), (
        "a chart must load nothing from elsewhere"
    )
    root = ET.fromstring(svg)
    texts = [e for e in root.iter() if e.tag.endswith("}text")]
    assert texts, "text is kept as text (svg.fonttype none)"
    for element in texts:
        fill = re.search(r"fill:\s*(#[0-9a-f]{6})", element.get("style", ""))
        colour = fill.group(1) if fill else "#000000"
        assert contrast_on_white(colour) >= 4.5, f"{chart_id}: text {element.text!r} in {colour}"
    for element in root.iter():
        style = element.get("style", "")
        for prop, colour in re.findall(r"(stroke|fill):\s*(#[0-9a-f]{6})", style):
            if colour in ("#ffffff", PALE) or element.tag.endswith("}text"):
                continue  # the background, gaps between bars, and the pale band edged by dark lines
            assert contrast_on_white(colour) >= 3, f"{chart_id}: {prop} {colour} below 3:1 (WCAG 1.4.11)"
    assert chart.alt and len(chart.alt) > 60 and chart.caption
    assert not chart.table.empty


def test_every_chart_is_on_a_page_with_alt_text_caption_and_table() -> None:
    pages = real_pages()
    placed = set()
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        assert "<!-- chart:" not in text, f"{path}: a marker was left on the page"
        for match in TABLE.finditer(text):
            chart_id = match.group("id")
            placed.add(chart_id)
            images = [m for m in IMAGE.finditer(text) if m.group("src").endswith(f"{chart_id}.svg")]
            assert images and len(images[0].group("alt")) > 60, f"{path}: {chart_id} without alt text"
            assert '<th scope="col">' in match.group("body") and "<caption>" in match.group("body")
            assert chart_path(chart_id) in pages
    assert placed == set(CHARTS)


def test_xmr_table_holds_the_methods_numbers() -> None:
    rows = table_rows(page_with("xmr-four-hour-syn01"), "xmr-four-hour-syn01")
    monthly = pd.read_csv(DATA / "monthly_indicators.csv", parse_dates=["month"])
    series = monthly[monthly["provider_code"] == "SYN01"].set_index("month").sort_index()["four_hour_pct"]
    chart = xmr_chart(series, improvement="increase", baseline_points=24)
    header, body = rows[0], rows[1:]
    assert len(body) == len(chart)
    values = np.array([[float(r[header.index(c)]) for c in header[1:5]] for r in body])
    expected = chart[["value", "mean", "lower_limit", "upper_limit"]].to_numpy()
    assert np.allclose(values, expected, atol=0.005)
    flagged = [r[0] for r in body if r[header.index("Variation")] != "common cause"]
    assert flagged == [f"{m:%B %Y}" for m in chart.index[chart["special_cause"]]]


def test_waiting_list_and_forecast_tables_hold_the_methods_numbers() -> None:
    rows = table_rows(page_with("waiting-list-weeks"), "waiting-list-weeks")[1:]
    rtt = pd.read_csv(DATA / "rtt_pathways.csv")
    counts = weekly_band_counts(rtt.loc[rtt["pathway_status"] == "incomplete", "days_waited"])
    assert [int(r[1]) for r in rows] == counts.tolist()

    rows = table_rows(page_with("forecast-attendances-syn01"), "forecast-attendances-syn01")[1:]
    monthly = pd.read_csv(DATA / "monthly_indicators.csv", parse_dates=["month"])
    series = monthly[monthly["provider_code"] == "SYN01"].set_index("month").sort_index()["ae_attendances"]
    forecast = seasonal_naive_forecast(series.iloc[:-12], 12)
    numbers = np.array([[float(c.replace(",", "")) for c in r[1:4]] for r in rows])
    assert np.allclose(numbers, forecast[["forecast", "lower", "upper"]].to_numpy(), atol=0.5)
    assert [int(r[4].replace(",", "")) for r in rows] == series.iloc[-12:].tolist()


def test_an_unknown_chart_fails_check_naming_the_file(minimal_root: Path) -> None:
    module = minimal_root / "courses" / "analysts" / "01-xmr-charts.md"
    module.write_text(
        module.read_text(encoding="utf-8") + "\n<!-- chart: no-such-chart -->\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["check", "--root", str(minimal_root)])
    assert result.exit_code != 0
    assert "courses/analysts/01-xmr-charts.md" in result.output and "no-such-chart" in result.output


def test_a_page_without_charts_needs_no_plotting(minimal_root: Path) -> None:
    pages = site_pages(load_curriculum(minimal_root))
    assert not any(path.startswith("charts/") for path in pages)
    from college.checking import check

    assert [p for p in check(minimal_root).problems if p.severity is Severity.ERROR] == []


def test_check_validates_a_known_chart_without_drawing_it(minimal_root: Path) -> None:
    """Without the data folder drawing the chart fails; checking its marker must not need it."""
    (minimal_root / "data").unlink()
    module = minimal_root / "courses" / "analysts" / "01-xmr-charts.md"
    module.write_text(
        module.read_text(encoding="utf-8") + "\n<!-- chart: xmr-four-hour-syn01 -->\n", encoding="utf-8"
    )
    from college.checking import check

    assert [p for p in check(minimal_root).problems if p.field == "chart"] == []
    with pytest.raises(FileNotFoundError):
        site_pages(load_curriculum(minimal_root))
