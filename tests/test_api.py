"""The public Python API: what `import audio_edition` offers, and that it starts light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import audio_edition
from tests.conftest import EXAMPLES, ROOT


def test_every_public_name_resolves() -> None:
    for name in audio_edition.__all__:
        assert getattr(audio_edition, name) is not None, name


def test_importing_the_package_loads_neither_the_pipeline_nor_nltk() -> None:
    code = (
        "import sys, audio_edition; print(json.dumps(sorted(m for m in sys.modules if 'nltk' in m or 'pipeline' in m)))"
    )
    out = subprocess.run([sys.executable, "-c", "import json; " + code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert json.loads(out) == []


def test_a_library_convert_with_load_article_and_options(tmp_path: Path) -> None:
    from audio_edition import Options, convert, load_article

    article = load_article(str(EXAMPLES / "plain-essay.txt"))
    episode = convert(article, Options(out_dir=tmp_path / "out", publish=False, use_cache=False))
    assert episode.mp3.is_file() and episode.article.title == article.title
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                            str(episode.mp3)], capture_output=True, text=True, check=True)  # fmt: skip
    assert abs(float(probe.stdout) - episode.duration_s) < 0.1
