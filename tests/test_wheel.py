"""The built wheel, installed in a fresh environment away from the repository, converts an article.

`make` installs the project editable, so a data file missing from the wheel
(a voice profile, a lexicon, the line model's weights) is invisible to every
other test. This one builds the wheel, installs it into a new venv (its
dependencies borrowed from the test environment's site-packages through a .pth
line, so nothing is downloaded) and runs it from a folder outside the checkout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(base / "dist")],
                   check=True, capture_output=True)  # fmt: skip
    wheel = next((base / "dist").glob("audio_edition-*.whl"))
    env = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())  # fmt: skip
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)  # fmt: skip
    # The dependencies (not audio_edition itself: the editable install's hook is a .pth this line does not run).
    (purelib / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def _run(python: Path, *args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "XDG_CONFIG_HOME": str(cwd / "config")}
    return subprocess.run([str(python), "-m", "audio_edition", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run([str(installed), "-c", "import audio_edition; print(audio_edition.__file__)"],
                            cwd=tmp_path, capture_output=True, text=True, check=True)  # fmt: skip
    assert not Path(result.stdout.strip()).is_relative_to(ROOT)
    assert (Path(result.stdout.strip()).parent / "py.typed").is_file()  # type checkers read its annotations


def test_the_installed_wheel_lists_its_voices_and_converts(installed: Path, tmp_path: Path) -> None:
    voices = _run(installed, "voices", cwd=tmp_path)
    assert voices.returncode == 0, voices.stderr
    assert {"default", "en-gb"} <= {line.split()[0] for line in voices.stdout.splitlines() if line.strip()}
    # The news lexicon is bundled too: "Lt. Gen." is read as the title.
    said = _run(installed, "normalize", cwd=tmp_path, stdin="Lt. Gen. Ortiz arrived.\n")
    assert said.returncode == 0, said.stderr
    assert "lieutenant general" in said.stdout.lower()
    article = tmp_path / "note.txt"
    article.write_text("Harbor Notes\n\nLt. Gen. Ortiz visited the harbor on Tuesday. She praised the crews.\n",
                       encoding="utf-8")  # fmt: skip
    result = _run(installed, "convert", str(article), "--out", str(tmp_path / "out"), "--no-cache", "--json",
                  "--quiet", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    episode = json.loads(result.stdout)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                            episode["mp3"]], capture_output=True, text=True, check=True)  # fmt: skip
    assert float(probe.stdout) > 2.0


def test_the_installed_wheel_speaks_german_by_german_rules(installed: Path, tmp_path: Path) -> None:
    # Each language's data ships: German abbreviations, ordinals, units and the intro's words.
    said = _run(installed, "normalize", "--voice", "de", cwd=tmp_path,
                stdin="Am 3. März kostete es z. B. 12,99 €. Der Kurs stieg auf 3. Danach fiel er.\n")  # fmt: skip
    assert said.returncode == 0, said.stderr
    assert said.stdout.splitlines() == [
        "Am dritten März kostete es zum Beispiel zwölf Euro neunundneunzig.", "Der Kurs stieg auf drei.",
        "Danach fiel er.",
    ]  # fmt: skip


def test_the_installed_wheel_reads_scraped_text_with_its_line_model(installed: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Home\nNews\nSport\nHarbor bridge reopens after repairs\nBy Ana Ruiz\n"
                    "The harbor bridge reopened on Monday after six months of repairs to its deck.\n"
                    "Crews replaced 400 steel plates and repainted the towers, the city said.\n"
                    "Share on Facebook\n", encoding="utf-8")  # fmt: skip
    result = _run(installed, "clean", str(page), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] == "Harbor bridge reopens after repairs"
    assert "Share on Facebook" not in json.dumps(article)
