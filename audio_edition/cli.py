"""The command line: click commands that parse options, call the library, print the result.

Every `AudioEditionError` becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click

from audio_edition.errors import AudioEditionError
from audio_edition.sizes import clock, count

EPILOG_CLEAN = """\b
Examples:
  audio-edition clean examples/harbor-bridge.txt --json
  audio-edition clean page.txt --explain      # each line: what it was taken for, and why
"""
EPILOG_CONVERT = """\b
Examples:
  audio-edition convert examples/harbor-bridge.txt
  audio-edition convert https://example.org/news/bridge.html story.md page.html
  audio-edition convert --from-feed https://example.org/news/rss.xml --out ~/podcast
  audio-edition convert article.txt --voice en-gb --chapters sentences --json
  audio-edition convert *.txt --executor dask://scheduler.local:8786
  pbpaste | audio-edition convert - --out ~/podcast
"""


F = TypeVar("F", bound=Callable[..., Any])


def _out_option(text: str = "The output folder (the podcast).") -> Callable[[F], F]:
    """--out: the output folder, for every command that works on one."""
    return click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
                        help=text)  # fmt: skip


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C as KeyboardInterrupt, but never inside a finalizer, where Python would swallow it.

    A KeyboardInterrupt raised while a `__del__` runs is printed as "Exception
    ignored" and lost, and the convert would carry on as if never interrupted;
    there the signal is delivered again a moment later instead.
    """
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            threading.Timer(0.01, os.kill, (os.getpid(), signum)).start()
            return
        frame = frame.f_back
    raise KeyboardInterrupt


class _Group(click.Group):
    """Turns library errors into one line and exit 1; never shows a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            signal.signal(signal.SIGINT, _interrupt)
        try:
            return super().invoke(ctx)
        except AudioEditionError as exc:
            _fail(str(exc))
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as a shell tool does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except KeyboardInterrupt as exc:
            if getattr(exc, "published", False):  # after the publish step's switch: the change stands
                click.echo("audio-edition: interrupted after the episode was published; the next publish "
                           "brings feed.xml and index.html up to date", err=True)  # fmt: skip
            else:
                click.echo("audio-edition: interrupted; the work in progress was not written", err=True)
            sys.exit(130)
        except OSError as exc:
            _fail(f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}")
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("AUDIO_EDITION_DEBUG"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (set AUDIO_EDITION_DEBUG=1 for details)")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _fail(message: str) -> None:
    _error(message)
    sys.exit(1)


def _error(message: str) -> None:
    """One line on stderr, whatever the message holds (a file name with a newline, a library's
    multi-line text): control characters are shown escaped."""
    click.echo(f"audio-edition: error: {one_line(message)}", err=True)


def one_line(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


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
@click.option(
    "--explain",
    is_flag=True,
    help="Print every line of INPUT with what it was taken for and why (the rule, or the line model's score).",
)
@click.option("--encoding", default=None, help="Text encoding of INPUT (default UTF-8), e.g. cp1252.")
def clean(input: str, as_json: bool, explain: bool, encoding: str | None) -> None:
    """Show what will be read from INPUT (a text, .html or .md file, a URL, or - for standard input)."""
    from audio_edition.inputs import read_input  # noqa: PLC0415

    reading = read_input(input, encoding)
    article = reading.article
    if explain:
        if as_json:
            for d in reading.decisions:
                click.echo(
                    json.dumps({"line": d.line, "label": d.label, "why": d.why, "text": d.text}, ensure_ascii=False)
                )
            return
        width = max((len(str(d.line)) for d in reading.decisions), default=1)
        for d in reading.decisions:
            click.echo(f"{d.line:>{width}}  {d.label:<9}  {_clip(d.text, 72):<72}  {d.why}")
        return
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
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
            image = f" <{block.image}>" if block.image else ""
            click.echo(f"\n[caption] {block.text}{credit}{image}")
        else:
            click.echo(f"\n{block.text}")


@main.command(epilog=EPILOG_CONVERT)
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option(
    "--from-feed",
    "from_feed",
    default=None,
    metavar="URL_OR_FILE",
    help="Also convert every article of this RSS or Atom feed not converted yet.",
)
@_out_option("Folder that receives one episode folder per input.")
@click.option("--voice", default="default", show_default=True, help="Voice profile from voices/.")
@click.option(
    "--chapters",
    type=click.Choice(["auto", "sentences"]),
    default="auto",
    show_default=True,
    help="auto: the article's headings and photo captions; sentences: one per sentence.",
)
@click.option("--read-captions", is_flag=True, help="Also read photo captions aloud.")
@click.option("--encoding", default=None, help="Text encoding of the inputs (default UTF-8), e.g. cp1252.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per episode, one per line.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Sentence cache folder (default: $AUDIO_EDITION_CACHE_DIR, else the user cache folder).",
)
@click.option("--no-cache", is_flag=True, help="Render every sentence; read and write no cache.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core).")
@click.option(
    "--executor",
    default="local",
    show_default=True,
    help="Where sentences render: local processes, or dask://HOST:PORT (a Dask cluster).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--no-publish", is_flag=True, help="Write the episode folder only: no catalog, feed or page update.")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Let links of a public --from-feed point at this machine or a private network (refused by default).",
)
def convert(
    inputs: tuple[str, ...],
    from_feed: str | None,
    no_publish: bool,
    out_dir: Path,
    voice: str,
    chapters: str,
    read_captions: bool,
    encoding: str | None,
    as_json: bool,
    cache_dir: Path | None,
    no_cache: bool,
    jobs: int | None,
    executor: str,
    quiet: bool,
    allow_private: bool,
) -> None:
    """Convert each INPUT into an episode and publish it in the output folder.

    INPUT is a text file (a scraped page's text), an .html or .md file, an
    http(s):// URL, or - for standard input. Each episode is recorded in the
    output folder's catalog, feed.xml and index.html.
    """
    from audio_edition.pipeline import Options  # noqa: PLC0415
    from audio_edition.render import open_executor  # noqa: PLC0415
    from audio_edition.voices import load_profile  # noqa: PLC0415

    if not inputs and not from_feed:
        raise click.UsageError("give at least one INPUT, or --from-feed")
    load_profile(voice)  # an unknown voice fails before any input is read
    guarded: frozenset[str] = frozenset()
    if from_feed:
        links = _new_feed_articles(from_feed, out_dir)
        if not allow_private and not _private_feed(from_feed):
            guarded = frozenset(links)  # a public feed's links may not reach this machine or its network
        inputs = inputs + links
        if not inputs:
            click.echo(f"every article of {from_feed} is converted already", err=True)
            return
    pool, release = open_executor(executor, jobs)
    options = Options(out_dir=out_dir, voice=voice, chapters=chapters, read_captions=read_captions,  # type: ignore[arg-type]
                      cache_dir=cache_dir, use_cache=not no_cache, executor=pool, quiet=quiet,
                      publish=not no_publish)  # fmt: skip
    failed = 0
    try:
        failed = _convert_all(inputs, options, encoding, as_json, guarded)
    finally:
        release()
    if failed:
        sys.exit(1)


def _new_feed_articles(feed: str, out_dir: Path) -> tuple[str, ...]:
    """The article links of `feed` that no episode in `out_dir` came from."""
    from audio_edition.inputs import feed_articles  # noqa: PLC0415
    from audio_edition.publish import new_links  # noqa: PLC0415

    return new_links(out_dir, feed_articles(feed))


def _private_feed(feed: str) -> bool:
    """A feed from a file or from this machine or a private network may link there; a public one may not."""
    from audio_edition.inputs.fetch import is_private, is_url  # noqa: PLC0415

    return not is_url(feed) or is_private(feed.strip())


def _convert_all(
    inputs: tuple[str, ...], options: Any, encoding: str | None, as_json: bool, guarded: frozenset[str] = frozenset()
) -> int:
    from audio_edition.cache import SentenceCache, default_dir  # noqa: PLC0415
    from audio_edition.inputs import load_article  # noqa: PLC0415
    from audio_edition.pipeline import convert as run  # noqa: PLC0415

    if options.publish and options.out_dir.is_dir():
        from audio_edition import publish  # noqa: PLC0415

        publish.check(options.out_dir)  # a bad channel.toml or catalog fails before anything is read or cached
    # Text read before is not read again (nor the line model loaded), as its sentences are not rendered again.
    cache = SentenceCache(options.cache_dir or default_dir()) if options.use_cache else None
    failed = 0
    for arg in inputs:
        name = "standard input" if arg == "-" else arg
        try:
            article = _named(name, load_article, arg, encoding, cache, allow_private=arg not in guarded)
            origin = arg if re.match(r"https?://", arg, re.IGNORECASE) else None
            episode = _named(name, run, article, options, origin)
        except AudioEditionError as exc:
            if len(inputs) == 1:
                raise
            _error(str(exc))
            failed += 1
            continue
        if as_json:
            click.echo(json.dumps(episode.to_dict(), ensure_ascii=False))
        else:
            click.echo(
                f"{episode.mp3}  {clock(episode.duration_s)}, {count(episode.sentences, 'sentence')}, "
                f"{count(len(episode.chapters), 'chapter')}  ({episode.article.title})"
            )
    return failed


EPILOG_NORMALIZE = """\b
Examples:
  echo 'Lt. Gen. Ortiz said the $1.5 billion U.S.-made jets arrive Oct. 3.' | audio-edition normalize
  audio-edition normalize notes.txt --voice en-gb
  audio-edition normalize examples/harbor-bridge.txt --article
"""


@main.command(epilog=EPILOG_NORMALIZE)
@click.argument("input", metavar="[INPUT|-]", required=False, default="-")
@click.option("--voice", default="default", show_default=True, help="Voice profile whose lexicons apply.")
@click.option(
    "--article",
    "as_article",
    is_flag=True,
    help="Read INPUT as an article (text, .html, .md or a URL) and print the whole reading, intro included.",
)
@click.option("--read-captions", is_flag=True, help="With --article: include photo captions.")
@click.option("--encoding", default=None, help="Text encoding of INPUT (default UTF-8), e.g. cp1252.")
@click.option(
    "--engine-text",
    is_flag=True,
    help="Print exactly what the engine is given: lexicon phonemes as [[...]] instead of their respellings.",
)
def normalize(
    input: str, voice: str, as_article: bool, read_captions: bool, encoding: str | None, engine_text: bool
) -> None:
    """Print what the voice will say: each sentence of INPUT in spoken form, one per line.

    INPUT is a text file or - (standard input, the default). Use it to preview
    how numbers, abbreviations and names will be read, and to tune lexicons.
    """
    from audio_edition.inputs import load_article, read_source  # noqa: PLC0415
    from audio_edition.pipeline import preview  # noqa: PLC0415

    source = load_article(input, encoding) if as_article else read_source(input, encoding)
    name = "standard input" if input == "-" else input
    for line in _named(name, preview, source, voice, as_article, read_captions, engine_text):
        click.echo(line)


@main.group(
    epilog="""\b
Examples:
  audio-edition cache info
  audio-edition cache clear --cache-dir /tmp/ae-cache
"""
)
def cache() -> None:
    """The sentence cache: rendered sentences (and reading scripts) kept so re-converting is nearly free."""


@cache.command("info", epilog="\b\nExample:\n  audio-edition cache info")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None, help="Cache folder (default as convert).")
def cache_info(cache_dir: Path | None) -> None:
    """Where the cache is, how many sentences it holds and how big it is."""
    from audio_edition.cache import SentenceCache, default_dir  # noqa: PLC0415
    from audio_edition.sizes import human_size  # noqa: PLC0415

    info = SentenceCache(cache_dir or default_dir()).info()
    click.echo(f"folder:  {info.folder}")
    click.echo(f"entries: {info.entries}")
    click.echo(f"size:    {human_size(info.bytes)} of {human_size(info.max_bytes)}")


@cache.command("clear", epilog="\b\nExample:\n  audio-edition cache clear")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None, help="Cache folder (default as convert).")
def cache_clear(cache_dir: Path | None) -> None:
    """Remove every cached sentence."""
    from audio_edition.cache import SentenceCache, default_dir  # noqa: PLC0415

    store = SentenceCache(cache_dir or default_dir())
    click.echo(f"removed {store.clear()} entries (rendered sentences, reading scripts) from {store.folder}")


@main.command(epilog="\b\nExample:\n  audio-edition voices")
def voices() -> None:
    """List the voice profiles and lexicons, where each comes from, and whether each voice can be used here.

    Your own go in ~/.config/audio-edition/voices/ (profiles, .toml) and
    ~/.config/audio-edition/lexicon/ (.tsv); one there with a bundled name replaces the bundled one.
    """
    from audio_edition.datafiles import DataFiles  # noqa: PLC0415
    from audio_edition.speech.lexicon import LEXICONS  # noqa: PLC0415
    from audio_edition.voices import VOICES, check, load_profile  # noqa: PLC0415

    def where(files: DataFiles, name: str) -> str:
        path = files.find(name)
        origin = files.origin(path)
        text = origin if origin == "bundled" else f"{origin}: {path}"
        if any(files.origin(hidden) == "bundled" for hidden in files.shadowed(name)):
            text += ", replacing the bundled one"
        return f"[{text}]"

    for name in VOICES.available():
        try:
            profile = load_profile(name)
        except AudioEditionError as exc:
            click.echo(f"{name:12} unusable: {exc}")
            continue
        problem = check(profile)
        status = "ok" if problem is None else f"unusable: {problem}"
        click.echo(
            f"{name:12} {profile.engine:8} {profile.voice:10} {profile.language:6} {status}  {profile.description}"
            f"  {where(VOICES, name)}"
        )
    lexicons = LEXICONS.available()
    click.echo(f"lexicons: {', '.join(f'{name} {where(LEXICONS, name)}' for name in lexicons) or 'none'}")
    from audio_edition.engines.hibari import not_installed  # noqa: PLC0415 - reads hibari's registry only

    for name, about in not_installed():
        click.echo(f"hibari voice {name:8} not installed (nothing is downloaded): {about}")


@main.group(
    invoke_without_command=True,
    epilog="""\b
Examples:
  audio-edition episodes
  audio-edition episodes --json
  audio-edition episodes remove 3f2a9c1e
""",
)
@_out_option()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per episode, one per line.")
@click.pass_context
def episodes(ctx: click.Context, out_dir: Path, as_json: bool) -> None:
    """List the episodes in the output folder's catalog, newest first."""
    ctx.obj = out_dir
    if ctx.invoked_subcommand is not None:
        return
    from audio_edition.publish.update import entries  # noqa: PLC0415

    if not out_dir.is_dir():
        from audio_edition.errors import OutputError  # noqa: PLC0415

        raise OutputError(f"{out_dir} is not a folder: nothing has been published there (see --out)")
    found = entries(out_dir)
    if not found:
        click.echo(f"audio-edition: no episodes in {out_dir}", err=True)
    for entry in found:
        if as_json:
            record = {"guid": entry.guid, "slug": entry.slug, "title": entry.title, "author": entry.author,
                      "source": entry.source, "published": entry.published, "converted": entry.converted,
                      "duration_s": entry.duration_s, "voice": entry.voice, "mp3": entry.file("mp3"),
                      "bytes": entry.size("mp3")}  # fmt: skip
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        click.echo(f"{entry.guid[:8]}  {entry.converted[:10]}  {clock(entry.duration_s):>6}  {entry.title}")


@episodes.command("remove", epilog="\b\nExample:\n  audio-edition episodes remove 3f2a9c1e --out ~/podcast")
@click.argument("ident", metavar="ID")
@_out_option()
@click.pass_context
def episodes_remove(ctx: click.Context, ident: str, out_dir: Path) -> None:
    """Remove episode ID (its guid, the start of it, or its folder name) and its files."""
    from audio_edition.publish.update import remove  # noqa: PLC0415

    if ctx.get_parameter_source("out_dir") == click.core.ParameterSource.DEFAULT and ctx.obj is not None:
        out_dir = ctx.obj
    entry = remove(out_dir, ident)
    click.echo(f"removed {entry.guid[:8]}  {entry.title}")


@main.group(epilog="\b\nExample:\n  audio-edition feed rebuild --out ~/podcast")
def feed() -> None:
    """The podcast feed (feed.xml) and the catalog behind it."""


@feed.command("rebuild", epilog="\b\nExample:\n  audio-edition feed rebuild --out ~/podcast")
@_out_option()
def feed_rebuild(out_dir: Path) -> None:
    """Rebuild the catalog, feed.xml and index.html from the episode folders (after a loss or damage)."""
    from audio_edition.publish.update import FEED_NAME, rebuild  # noqa: PLC0415

    found = rebuild(out_dir)
    click.echo(f"{out_dir / FEED_NAME}: {count(len(found), 'episode')}")


EPILOG_SERVE = """\b
Examples:
  audio-edition serve
  audio-edition serve --out ~/podcast --host 0.0.0.0 --port 8080
"""


@main.command(epilog=EPILOG_SERVE)
@_out_option("Output folder to serve (episodes, feed.xml, index.html).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets a phone on the same network subscribe.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
def serve(out_dir: Path, host: str, port: int) -> None:
    """Serve the output folder over HTTP: the listening page, the feed and the episode files.

    Without a base_url in channel.toml, the feed served points at the address it is
    asked on. Stops on Ctrl-C.
    """
    from audio_edition.publish.serve import run  # noqa: PLC0415

    run(out_dir, host=host, port=port)


EPILOG_PUBLISH = """\b
Examples:
  audio-edition publish --to s3://my-bucket/podcast --out ~/podcast
  audio-edition publish --to s3://shows/harbour --endpoint-url https://ACCOUNT.r2.cloudflarestorage.com
  audio-edition publish --to /srv/www/podcast --dry-run

\b
channel.toml's base_url must be the destination's public address, e.g.
  base_url = "https://my-bucket.s3.amazonaws.com/podcast/"
S3 credentials and region come from the usual places: AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), ~/.aws/credentials and ~/.aws/config.
"""


@main.command("publish", epilog=EPILOG_PUBLISH)
@_out_option()
@click.option("--to", "destination", required=True, metavar="DEST",
              help="s3://bucket/prefix (any S3-compatible store) or a folder, e.g. a static site's checkout.")  # fmt: skip
@click.option("--endpoint-url", default=None, help="The S3 store's address when it is not AWS (R2, B2, MinIO).")
@click.option("--dry-run", is_flag=True, help="Say what would be uploaded and deleted; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as one JSON object.")
def publish_command(out_dir: Path, destination: str, endpoint_url: str | None, dry_run: bool, as_json: bool) -> None:
    """Put the podcast on a host: changed episode files first, then the page, then the feed.

    Only what changed is sent; what the catalog no longer holds is deleted after the new feed is up.
    """
    from audio_edition.publish.host import publish_to  # noqa: PLC0415

    report = publish_to(out_dir, destination, dry_run=dry_run, endpoint_url=endpoint_url)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
        return
    verb = ("would upload", "would delete") if dry_run else ("uploaded", "deleted")
    for name in report.uploaded:
        click.echo(f"{verb[0]}  {name}")
    for name in report.deleted:
        click.echo(f"{verb[1]}  {name}")
    click.echo(
        f"{report.destination}: {count(len(report.uploaded), 'file')} {verb[0]}, {len(report.unchanged)} unchanged, "
        f"{count(len(report.deleted), 'file')} {verb[1]}; the feed: {report.feed_url}"
    )


def _named(name: str, func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run `func`, prefixing an InputError's message with the input's name."""
    from audio_edition.errors import InputError  # noqa: PLC0415

    try:
        return func(*args, **kwargs)
    except InputError as exc:
        message = str(exc)
        if name in message:
            raise
        raise type(exc)(f"{name}: {message}") from None
