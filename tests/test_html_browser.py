"""report.html in a real browser: headless Chromium renders every part, runs no script, shows hostile text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SEED_DATE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    "Officials met on Monday to discuss the new harbour bridge, the council said in a statement.\n"
    "<script>document.title='PWNED'; document.body.innerHTML='PWNED'</script>\n"
    "The mayor said the bridge would open in May. <img src=x onerror=\"document.title='PWNED'\">\n"
    "Engineers told reporters the bridge cost 40 million euros to build over three years.\n"
)


def _browser(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        pytest.skip("chromium not installed (apt-get install chromium): the browser test needs it")
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _report(inputs: list[Path], tmp_path: Path) -> Path:
    from storyweave import analyze

    out = tmp_path / "out"
    analyze(
        [str(p) for p in inputs],
        published=SEED_DATE,
        db=f"sqlite:///{tmp_path / 'sw.db'}",
        out=out,
        formats=("json", "html"),
    )
    return out / "report.html"


@pytest.fixture(scope="module")
def seed_page(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report([seeds_dir], tmp_path_factory.mktemp("html-seeds"))


@pytest.mark.slow
def test_seed_report_in_chromium(seed_page: Path, tmp_path: Path) -> None:
    run = _browser(seed_page, tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom")
    dom = run.stdout
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Uncaught" not in run.stderr  # no script error
    # The summary, with citations that jump to the sentence they came from.
    summary = dom.split('<section class="summary">', 1)[1].split("</section>", 1)[0]
    cites = [c.split('"', 1)[0] for c in summary.split('class="cite" href="#')[1:]]
    assert len(summary.split("<li>")) - 1 == 5 and cites
    assert all(f'id="{anchor}"' in dom for anchor in cites)
    assert all("-s" in anchor for anchor in cites)  # a sentence, not just an article
    # The timeline chart, the claims × outlets matrix, quote variants, entities, framing, coverage.
    assert '<svg class="chart timeline-chart"' in dom and dom.count('<rect class="bar') >= 3
    assert '<table class="matrix">' in dom and dom.count("●") >= 20
    # Each outlet's stance on each fact, with a legend: the denial of the cocaine accusation is a ✕.
    assert '<p class="legend">' in dom and "contradicts it" in dom
    matrix = dom.split('<table class="matrix">', 1)[1].split("</table>", 1)[0]
    assert matrix.count('data-stance="contradicts"') >= 1 and matrix.count('data-stance="reports_claim"') >= 1
    assert matrix.count('data-stance="silent"') >= 1
    # A fact's details, each with its own outlets ("35 minutes" from two of the five).
    assert '<ul class="details">' in dom and "35 minutes" in dom
    assert '<table class="variants">' in dom and "<del>" in dom and "<ins>" in dom
    assert '<section class="entities">' in dom and "Petro" in dom
    assert '<section class="framing">' in dom and "lashed out" in dom
    assert '<section class="coverage">' in dom
    # Each article with its removed furniture struck through.
    assert dom.count('class="article"') == 5 and dom.count("<s>") >= 5
    shot = tmp_path / "report.png"
    _browser(seed_page, tmp_path / "profile2", "--window-size=1100,1800", f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 20_000


@pytest.mark.slow
def test_hostile_html_runs_no_script(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    page = _report([folder], tmp_path)
    run = _browser(page, tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom")
    dom = run.stdout
    assert run.returncode == 0, run.stderr[-2000:]
    assert "PWNED" not in dom.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<script" not in dom.lower()  # shown as text, never as an element
    assert "&lt;script&gt;document.title=" in dom  # the hostile markup is shown as text
    assert "<img" not in dom.lower()
    assert "harbour bridge" in dom  # the article itself is still shown
