"""The command line: click commands that parse options, call the library, print the result.

Every `AudioEditionError` becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from audio_edition.errors import AudioEditionError

EPILOG_CLEAN = """\b
Example:
  audio-edition clean examples/harbor-bridge.txt --json
"""
EPILOG_CONVERT = """\b
Examples:
  audio-edition convert examples/harbor-bridge.txt
  audio-edition convert article.txt --voice en-gb --chapters sentences --json
  pbpaste | audio-edition convert - --out ~/podcast
"""


class _Group(click.Group):
    """Turns library errors into one line and exit 1; never shows a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AudioEditionError as exc:
            _fail(str(exc))
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as a shell tool does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except KeyboardInterrupt:
            click.echo("audio-edition: interrupted; nothing was written", err=True)
            sys.exit(130)
        except OSError as exc:
            _fail(f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}")
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - a traceback reaching a user is a bug
            if os.environ.get("AUDIO_EDITION_DEBUG"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (set AUDIO_EDITION_DEBUG=1 for details)")


def _fail(message: str) -> None:
    click.echo(f"audio-edition: error: {message}", err=True)
    sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audio-edition")
def main() -> None:
    """Turn written articles into audio editions: a tagged MP3 with chapters and captions.

    \b
    Example:
      audio-edition convert examples/harbor-bridge.txt
    """


@main.command(epilog=EPILOG_CLEAN)
@click.argument("input", metavar="INPUT")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.option("--encoding", default=None, help="Text encoding of INPUT (default UTF-8), e.g. cp1252.")
def clean(input: str, as_json: bool, encoding: str | None) -> None:  # noqa: A002
    """Show what will be read from INPUT (a text file, or - for standard input)."""
    from audio_edition.clean import article_to_dict, parse_article  # noqa: PLC0415
    from audio_edition.inputs import read_source  # noqa: PLC0415

    source = read_source(input, encoding)
    article = _named(source.name, parse_article, source.text)
    if as_json:
        click.echo(json.dumps(article_to_dict(article), ensure_ascii=False, indent=2))
        return
    click.echo(article.title)
    if article.author:
        click.echo(f"By {article.author}")
    if article.published_iso:
        click.echo(article.published_iso)
    for block in article.blocks:
        if block.kind == "heading":
            click.echo(f"\n## {block.text}")
        elif block.kind == "caption":
            credit = f" ({block.credit})" if block.credit else ""
            click.echo(f"\n[caption] {block.text}{credit}")
        else:
            click.echo(f"\n{block.text}")


@main.command(epilog=EPILOG_CONVERT)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder that receives one episode folder per input.")
@click.option("--voice", default="default", show_default=True, help="Voice profile from voices/.")
@click.option("--chapters", type=click.Choice(["auto", "sentences"]), default="auto", show_default=True,
              help="auto: the article's headings and photo captions; sentences: one per sentence.")
@click.option("--read-captions", is_flag=True, help="Also read photo captions aloud.")
@click.option("--encoding", default=None, help="Text encoding of the inputs (default UTF-8), e.g. cp1252.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per episode, one per line.")
def convert(
    inputs: tuple[str, ...],
    out_dir: Path,
    voice: str,
    chapters: str,
    read_captions: bool,
    encoding: str | None,
    as_json: bool,
) -> None:
    """Convert each INPUT (a text file, or - for standard input) into an episode."""
    from audio_edition.inputs import read_source  # noqa: PLC0415
    from audio_edition.pipeline import Options  # noqa: PLC0415
    from audio_edition.pipeline import convert as run  # noqa: PLC0415
    from audio_edition.voices import load_profile  # noqa: PLC0415

    load_profile(voice)  # an unknown voice fails before any input is read
    options = Options(out_dir=out_dir, voice=voice, chapters=chapters, read_captions=read_captions)  # type: ignore[arg-type]
    failed = 0
    for arg in inputs:
        try:
            source = read_source(arg, encoding)
            episode = _named(source.name, run, source, options)
        except AudioEditionError as exc:
            if len(inputs) == 1:
                raise
            click.echo(f"audio-edition: error: {exc}", err=True)
            failed += 1
            continue
        if as_json:
            click.echo(json.dumps(episode.to_dict(), ensure_ascii=False))
        else:
            minutes, seconds = divmod(round(episode.duration_s), 60)
            click.echo(
                f"{episode.mp3}  {minutes}:{seconds:02d}, {episode.sentences} sentences, "
                f"{len(episode.chapters)} chapters  ({episode.article.title})"
            )
    if failed:
        sys.exit(1)


EPILOG_NORMALIZE = """\b
Examples:
  echo 'Lt. Gen. Ortiz said the $1.5 billion U.S.-made jets arrive Oct. 3.' | audio-edition normalize
  audio-edition normalize notes.txt --voice en-gb
  audio-edition normalize examples/harbor-bridge.txt --article
"""


@main.command(epilog=EPILOG_NORMALIZE)
@click.argument("input", metavar="[INPUT|-]", required=False, default="-")
@click.option("--voice", default="default", show_default=True, help="Voice profile whose lexicons apply.")
@click.option("--article", "as_article", is_flag=True,
              help="Clean INPUT as a scraped page first and print the whole reading, intro included.")
@click.option("--read-captions", is_flag=True, help="With --article: include photo captions.")
@click.option("--encoding", default=None, help="Text encoding of INPUT (default UTF-8), e.g. cp1252.")
def normalize(input: str, voice: str, as_article: bool, read_captions: bool, encoding: str | None) -> None:  # noqa: A002
    """Print what the voice will say: each sentence of INPUT in spoken form, one per line.

    INPUT is a text file or - (standard input, the default). Use it to preview
    how numbers, abbreviations and names will be read, and to tune lexicons.
    """
    from audio_edition.inputs import read_source  # noqa: PLC0415
    from audio_edition.pipeline import preview  # noqa: PLC0415

    source = read_source(input, encoding)
    for line in _named(source.name, preview, source, voice, as_article, read_captions):
        click.echo(line)


def _named(name: str, func: Any, *args: Any) -> Any:
    """Run `func`, prefixing an InputError's message with the input's name."""
    from audio_edition.errors import InputError  # noqa: PLC0415

    try:
        return func(*args)
    except InputError as exc:
        message = str(exc)
        if name in message:
            raise
        raise type(exc)(f"{name}: {message}") from None
