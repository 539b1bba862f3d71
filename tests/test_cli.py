"""The command line: help everywhere, one clear line and exit 1 for bad input, nothing half-written."""

from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

SAMPLE = EXAMPLES / "plain-essay.txt"


def cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "audio_edition", *args], input=stdin, cwd=cwd,
                          capture_output=True)  # fmt: skip


def _commands() -> list[list[str]]:
    """Every command and subcommand of the click tree, walked (none listed by hand)."""
    import click

    from audio_edition.cli import main

    found: list[list[str]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        found.append(path)
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                walk(sub, [*path, name])

    walk(main, [])
    return found


def test_the_walk_finds_the_nested_commands():
    assert {"episodes remove", "feed rebuild", "cache clear", "serve"} <= {" ".join(c) for c in _commands()}


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "main")
def test_every_command_has_help_with_an_example(command):
    result = cli(*command, "--help")
    assert result.returncode == 0
    assert b"Example" in result.stdout and b"audio-edition" in result.stdout


def test_installed_entry_point_matches_module():
    exe = Path(sys.executable).parent / "audio-edition"
    if not exe.exists():
        pytest.fail("the audio-edition console script is not installed in this environment")
    result = subprocess.run([str(exe), "--help"], capture_output=True)
    assert result.returncode == 0
    assert result.stdout == cli("--help").stdout


def test_clean_json_shape():
    result = cli("clean", str(EXAMPLES / "harbor-bridge.txt"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"title", "author", "published", "blocks", "language"}
    assert data["language"] == "en"
    assert data["published"] == "2026-06-18T14:05-04:00"  # "2:05 p.m. ET" in June: Eastern daylight time
    kinds = {b["kind"] for b in data["blocks"]}
    assert kinds <= {"paragraph", "caption", "heading"} and "caption" in kinds
    for block in data["blocks"]:
        assert (block.get("credit") is not None) == (block["kind"] == "caption")


def _one_line_error(result: subprocess.CompletedProcess[bytes], *words: str) -> str:
    assert result.returncode == 1
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


BAD_INPUTS = {
    "missing": (None, "no such file"),
    "folder": (None, "folder"),
    "empty": (b"   \n\n", "empty"),
    "furniture": (b"Skip to main content\nSubscribe\nSign up for our newsletter\nAdvertisement\n", "no article text"),
    "binary": (bytes(range(256)) * 40, "binary"),
    "cp1252": (
        "Caf\u00e9 owners say the \u201cnew\u201d rules will cost them \u20ac2,000 a year.\n".encode("cp1252"),
        "--encoding cp1252",
    ),
    "latin1": ("The na\u00efve plan, said M. Dupr\u00e9, failed.\n".encode("latin-1"), "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["clean", "convert"])
def test_bad_input_is_one_line_and_exit_1_and_writes_nothing(case, command, tmp_path):
    content, words = BAD_INPUTS[case]
    path = tmp_path / f"{case}.txt"
    if case == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    out = tmp_path / "out"
    args = [command, str(path)] + (["--out", str(out)] if command == "convert" else [])
    _one_line_error(cli(*args), words)
    assert not out.exists() or not any(out.iterdir())


def test_absurdly_large_file(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(b"The council met again. " * (50 * 1024 * 1024 // 23))
    out = tmp_path / "out"
    _one_line_error(cli("convert", str(path), "--out", str(out)), "MiB")
    assert not out.exists()


def test_a_file_name_with_a_newline_is_still_one_line(tmp_path):
    path = tmp_path / "two\nlines.txt"
    path.write_bytes(b"")
    err = _one_line_error(cli("clean", str(path)), "empty")
    assert "two\\nlines.txt" in err


def test_a_file_just_over_the_limit_says_so_without_contradiction(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"The council met again. " * (5 * 1024 * 1024 // 23 + 100))
    err = _one_line_error(cli("clean", str(path)), "is over the limit; articles larger than 5.0 MiB")
    assert "is 5.0 MiB" not in err


def test_latin1_text_converts_when_its_encoding_is_given(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(
        SAMPLE.read_text(encoding="utf-8")
        .replace("\u2019", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2014", "-")
        .replace("\u2013", "-")
        .encode("cp1252", errors="replace")
    )
    result = cli("clean", str(path), "--encoding", "cp1252", "--json")
    assert result.returncode == 0, result.stderr


HARBOR = EXAMPLES / "harbor-bridge.txt"


@pytest.mark.parametrize(
    ("name", "encode", "given"),
    [
        ("utf16le.txt", lambda t: t.encode("utf-16"), None),  # Python writes the BOM, little-endian here
        ("utf16be.txt", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), None),
        ("utf32.txt", lambda t: t.encode("utf-32"), None),
        ("utf16-given.txt", lambda t: t.encode("utf-16"), "utf-16"),
        ("utf16-nobom.txt", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_utf16_and_utf32_text_reads_like_utf8(name, encode, given, tmp_path):
    """Text saved as UTF-16 or UTF-32 (Windows editors do) is the same article: its zero bytes are not binary."""
    path = tmp_path / name
    path.write_bytes(encode(HARBOR.read_text(encoding="utf-8")))
    result = cli("clean", str(path), "--json", *(["--encoding", given] if given else []))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(cli("clean", str(HARBOR), "--json").stdout)


def test_a_utf16_html_file_is_read(tmp_path):
    paragraphs = [p for p in HARBOR.read_text(encoding="utf-8").split("\n\n") if len(p) > 200][:3]
    html = "<html><head><title>Harbor Bridge</title></head><body><article><h1>Harbor Bridge</h1>"
    html += "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("utf-16"))
    result = cli("clean", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert [b["text"] for b in json.loads(result.stdout)["blocks"]] == paragraphs


def test_binary_behind_a_utf16_bom_is_still_refused(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + bytes(range(32)) * 200)
    _one_line_error(cli("clean", str(path)), "looks like binary data")  # not only a word of the file's path


def test_unknown_voice_lists_the_available_ones(tmp_path):
    err = _one_line_error(
        cli("convert", str(SAMPLE), "--voice", "nobody", "--out", str(tmp_path / "o")),
        "unknown voice 'nobody'",
        "default",
        "en-gb",
    )
    assert "available" in err
    assert not (tmp_path / "o").exists()


def test_unwritable_out_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    _one_line_error(cli("convert", str(SAMPLE), "--out", str(blocker / "out")), "cannot write")
    readonly = tmp_path / "ro"
    readonly.mkdir()
    if os.geteuid() == 0:
        # root ignores permission bits: a read-only bind is not available here, so use a path under /proc.
        _one_line_error(cli("convert", str(SAMPLE), "--out", "/proc/audio-edition-out"), "cannot write")
    else:
        readonly.chmod(0o500)
        _one_line_error(cli("convert", str(SAMPLE), "--out", str(readonly)), "cannot write")


def test_a_failed_convert_leaves_the_previous_episode_and_no_staging(tmp_path):
    out = tmp_path / "out"
    first = cli("convert", str(SAMPLE), "--out", str(out), "--json")
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Subscribe\nAdvertisement\n")
    _one_line_error(cli("convert", str(bad), "--out", str(out)), "no article text")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def _convert_in_background(out: Path) -> subprocess.Popen[bytes]:
    """Start converting the long-read (uncached, so it takes a while) and return once its staging folder exists."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "audio_edition",
            "convert",
            str(EXAMPLES / "longread-archive.txt"),
            "--out",
            str(out),
            "--no-cache",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (out.exists() and any(out.iterdir())):
        time.sleep(0.02)
    time.sleep(0.3)
    return proc


def test_interrupted_convert_leaves_nothing_half_written(tmp_path):
    out = tmp_path / "out"
    proc = _convert_in_background(out)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.decode().count("\n") == 1
    assert not any(out.iterdir())


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_killed_convert_staging_is_removed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    proc = _convert_in_background(out)
    deadline = time.monotonic() + 30
    while not (workers := _children(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers, "the convert started no worker process"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Its workers die with it rather than linger.
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]
    assert all(p.name.startswith(".") for p in out.iterdir())  # only hidden staging, never an episode folder
    result = cli("convert", str(SAMPLE), "--out", str(out), "--json")
    assert result.returncode == 0
    folders = [p.name for p in out.iterdir() if p.is_dir()]
    assert folders == [Path(json.loads(result.stdout)["mp3"]).parent.name]
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]


def test_several_inputs_one_bad(tmp_path):
    missing = tmp_path / "missing.txt"
    result = cli("convert", str(SAMPLE), str(missing), "--out", str(tmp_path / "out"), "--json")
    assert result.returncode == 1
    assert len(result.stdout.decode().splitlines()) == 1
    assert "no such file" in result.stderr.decode()


def test_normalize_prints_one_spoken_sentence_per_line():
    text = "Lt. Gen. Ortiz said the $1.5 billion deal closes Oct. 3. It was signed in the 1990s!\n\nNo. 7 won."
    result = cli("normalize", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "Lieutenant General Ortiz said the one point five billion dollar deal closes October third.",
        "It was signed in the nineteen nineties!",
        "number seven won.",
    ]


def test_normalize_uses_the_voice_lexicons_and_article_mode(tmp_path, monkeypatch):
    lexicons = tmp_path / "lex"
    lexicons.mkdir()
    (lexicons / "news.tsv").write_text("Okonkwo\toh-KONK-woh\n", encoding="utf-8")
    env = dict(os.environ, AUDIO_EDITION_LEXICONS=str(lexicons))
    result = subprocess.run(
        [sys.executable, "-m", "audio_edition", "normalize"],
        input=b"Okonkwo spoke.",
        cwd=ROOT,
        capture_output=True,
        env=env,
    )
    assert result.stdout.decode().strip() != "Okonkwo spoke."
    assert "Okonkwo" not in result.stdout.decode()
    article = cli("normalize", str(EXAMPLES / "harbor-bridge.txt"), "--article")
    lines = article.stdout.decode().splitlines()
    assert lines[1].startswith("By ") and lines[2].startswith("Published Thursday, June eighteenth")
    assert not any(ch.isdigit() for line in lines for ch in line)


def test_normalize_shows_respellings_and_engine_text_shows_phonemes(tmp_path):
    """normalize prints readable respellings; --engine-text what espeak-ng is given ([[phonemes]])."""
    lexicons = tmp_path / "lex"
    lexicons.mkdir()
    (lexicons / "news.tsv").write_text("Okonkwo\toh-KONK-woh\to:k'0Nkwo:\n", encoding="utf-8")
    env = dict(os.environ, AUDIO_EDITION_LEXICONS=str(lexicons))
    run = [sys.executable, "-m", "audio_edition", "normalize"]
    plain = subprocess.run(run, input=b"Okonkwo spoke.", cwd=ROOT, capture_output=True, env=env)
    engine = subprocess.run([*run, "--engine-text"], input=b"Okonkwo spoke.", cwd=ROOT, capture_output=True, env=env)
    assert plain.returncode == 0 and engine.returncode == 0, plain.stderr + engine.stderr
    assert plain.stdout.decode().strip() == "oh-KONK-woh spoke."
    assert engine.stdout.decode().strip() == "[[o:k'0Nkwo:]] spoke."


def test_normalize_bad_input():
    _one_line_error(cli("normalize", "/nonexistent/file.txt"), "no such file")
    _one_line_error(cli("normalize", "--voice", "nobody", stdin=b"Hello."), "unknown voice")


def test_an_unusable_cache_is_one_warning(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n")
    result = cli("convert", str(EXAMPLES / "plain-essay.txt"), "--out", str(tmp_path / "out"), "--quiet",
                 "--cache-dir", str(blocker))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().count("\n") == 1 and "cache" in result.stderr.decode()


GERMAN = ROOT / "tests" / "fixtures" / "languages" / "de-faehre.txt"


def test_an_article_in_another_language_warns_once_when_the_voice_speaks_another(tmp_path):
    result = cli("convert", str(GERMAN), "--out", str(tmp_path / "en"), "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert "German (de)" in lines[0] and "English (en-US)" in lines[0] and "--voice de" in lines[0]


def test_a_german_voice_splits_introduces_and_transcribes_a_german_article(tmp_path):
    import webvtt
    from mutagen.id3 import ID3

    result = cli("convert", str(GERMAN), "--voice", "de", "--out", str(tmp_path / "de"), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().strip() == ""  # no language warning
    episode = json.loads(result.stdout)
    cues = [" ".join(c.text.split()) for c in webvtt.read(episode["vtt"])]
    assert cues[:3] == [
        "Die alte Fähre fährt auch im Winter",
        "Von Anna Schmidt.",
        "Veröffentlicht am Donnerstag, dem 18. Juni 2026, um 14:05 Uhr.",
    ]
    # Not split at the ordinal "3." nor at "Dr." / "z. B.": the captions keep the sentences as written.
    assert any(
        c.startswith("Am 3. März 2025 hat der Kreistag beschlossen") and c.endswith("im Winter fährt.") for c in cues
    )
    assert "Eine Fahrt kostet 4,50 € für Erwachsene, Kinder fahren z. B. am Wochenende umsonst." in cues
    transcript = Path(episode["transcript"]).read_text(encoding="utf-8").splitlines()
    assert transcript[1:3] == ["Von Anna Schmidt", "Veröffentlicht am Donnerstag, dem 18. Juni 2026, um 14:05 Uhr"]
    assert str(ID3(episode["mp3"])["TLAN"]) == "deu"


@pytest.mark.parametrize(
    ("arg", "words"),
    [
        ("ftp://example.org/story.html", ("ftp:// addresses cannot be read", "https://")),
        ("example.org/story.html", ("no such file", "with https:// in front")),
        ("www.example.org", ("no such file", "with https:// in front")),
        ("no-such-notes.txt", ("no-such-notes.txt: no such file",)),
    ],
)
def test_an_address_given_the_wrong_way_says_what_is_wrong(tmp_path, arg, words):
    err = _one_line_error(cli("convert", arg, "--out", str(tmp_path / "out")), *words)
    if arg == "no-such-notes.txt":
        assert "https://" not in err  # a missing file is just that
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_output_folder_that_is_a_file_is_named_so(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("a file\n", encoding="utf-8")
    _one_line_error(cli("convert", str(SAMPLE), "--out", str(blocker)), "it is a file, not a folder")
    _one_line_error(cli("convert", str(SAMPLE), "--out", str(blocker / "sub")), f"{blocker} is a file, not a folder")
    assert blocker.read_text(encoding="utf-8") == "a file\n"


def test_episodes_says_when_there_is_nothing_to_list(tmp_path):
    _one_line_error(cli("episodes", "--out", str(tmp_path / "never")), "is not a folder", "--out")
    (tmp_path / "empty").mkdir()
    result = cli("episodes", "--out", str(tmp_path / "empty"))
    assert result.returncode == 0 and result.stdout == b""
    assert result.stderr.decode() == f"audio-edition: no episodes in {tmp_path / 'empty'}\n"


def test_a_feed_file_given_as_an_article_points_to_from_feed(tmp_path):
    feed = tmp_path / "news.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>\n',
                    encoding="utf-8")  # fmt: skip
    _one_line_error(cli("convert", str(feed), "--out", str(tmp_path / "out")), "not an article", f"--from-feed {feed}")
