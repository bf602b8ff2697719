"""What each command imports, from a real subprocess: read-only commands load no NLP, and no command
loads torch even where it is installed (issue 19: the cold start and the default install stay torch-free)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

NLP = {"spacy", "thinc", "onnxruntime", "tokenizers", "torch", "transformers", "sentence_transformers"}
TORCH = {"torch", "transformers", "sentence_transformers"}
# The command runs as the console script does (storyweave.cli.main); at exit it writes the top-level names
# in sys.modules. (Not ``-X importtime``: that also lists imports that were attempted and refused, such as
# thinc's ``import torch`` that nlp/pipeline.py turns away.)
_RUN = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted({m.split('.')[0] "
    "for m in sys.modules})) + '\\n'))\n"
    "from storyweave.cli import main\n"
    "sys.argv[0] = 'storyweave'\n"
    "main()\n"
)


def imported(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``storyweave ARGS`` in a subprocess; return the result and the top-level modules loaded at exit."""
    result = subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith("MODULES ")]
    assert lines, f"no module list: {result.stderr[-2000:]}"
    modules = set(lines[-1].split()[1:])
    assert "storyweave" in modules
    return result, modules


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str], str]:
    """The example corpus analysed once by the CLI: the work folder, what analyze imported, the story id."""
    work = tmp_path_factory.mktemp("imports")
    result, modules = imported(
        "analyze", str(EXAMPLES), "--db", f"sqlite:///{work / 'sw.db'}", "--out", str(work / "out"), cwd=work
    )
    assert result.returncode == 0, result.stderr[-2000:]
    listing = subprocess.run(
        [sys.executable, "-m", "storyweave.cli", "stories", "--db", f"sqlite:///{work / 'sw.db'}"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    story = re.search(r"\bs-[0-9a-f]{12}\b", listing.stdout)
    assert story, listing.stdout
    return work, modules, story.group()


def test_analyze_loads_nlp_but_never_torch(analysed: tuple[Path, set[str], str]) -> None:
    _, modules, _ = analysed
    assert {"spacy", "onnxruntime"} <= modules  # the check sees real NLP imports when they happen
    assert not modules & TORCH, sorted(modules & TORCH)


def test_ingest_never_loads_torch(analysed: tuple[Path, set[str], str]) -> None:
    work, _, _ = analysed
    result, modules = imported("ingest", str(EXAMPLES), "--db", f"sqlite:///{work / 'sw.db'}", cwd=work)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not modules & TORCH, sorted(modules & TORCH)


@pytest.mark.parametrize(
    "args",
    [
        ("stories",),
        ("report", "{story}", "--out", "again"),
        ("--help",),
        ("--version",),
        ("stories", "--help"),
    ],
    ids=["stories", "report", "help", "version", "stories-help"],
)
def test_read_only_commands_load_no_nlp(analysed: tuple[Path, set[str], str], args: tuple[str, ...]) -> None:
    work, _, story = analysed
    argv = [a.format(story=story) for a in args]
    if argv[0] in ("stories", "report") and "--help" not in argv:
        argv += ["--db", f"sqlite:///{work / 'sw.db'}"]
    result, modules = imported(*argv, cwd=work)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not modules & NLP, f"{' '.join(argv)} imported {sorted(modules & NLP)}"
