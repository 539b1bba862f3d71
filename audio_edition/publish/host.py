"""Publishing the podcast to a host: an S3-compatible bucket or a local folder (a static site's checkout).

`publish_to(out_dir, "s3://bucket/prefix")` or `publish_to(out_dir, "/srv/www/podcast")` puts the
podcast's public files there: every episode's files, the channel cover, index.html and feed.xml,
the feed and page made afresh under the channel's `base_url` (which must be set: it is the
destination's public address). Never the catalog, the settings or anything hidden.

The order keeps what listeners see whole at every moment, even if the publish is killed:

1. changed media first (episode files and covers); unchanged ones are not sent again (same size
   and checksum: SHA-256 recorded in the destination's manifest, or the S3 ETag's MD5);
2. the manifest, naming everything this tool has put there, old and new;
3. index.html, then feed.xml: from here the new episodes are live;
4. what the catalog no longer holds is deleted, only now that the new feed no longer names it,
   and only what the manifest says this tool put there (a static site's own files stay);
5. the manifest again, now naming only what is there.

The manifest is `.audio-edition.json` at the destination. Credentials for S3 come from boto3's
usual places (AWS_* variables, ~/.aws/credentials and config, an instance role); `endpoint_url`
names a store other than AWS (R2, B2, MinIO).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from audio_edition import faults
from audio_edition.episode import is_draft
from audio_edition.errors import InputError, OutputError
from audio_edition.folder import atomic_write
from audio_edition.publish.channel import cover_bytes, cover_name, load_channel
from audio_edition.publish.media import cache_control, media_type
from audio_edition.publish.rss import FEED_NAME, folder_url, render_feed, url
from audio_edition.publish.update import PAGE_NAME, entries, lock

__all__ = ["MANIFEST_NAME", "Report", "publish_to"]

MANIFEST_NAME = ".audio-edition.json"
_MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class File:
    """One file to publish: its name at the destination ("/"-separated) and where its bytes come from."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()  # type: ignore[union-attr]

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size  # type: ignore[union-attr]

    def sha256(self) -> str:
        digest = hashlib.sha256()
        if self.data is not None:
            digest.update(self.data)
        else:
            with open(self.path, "rb") as handle:  # type: ignore[arg-type]
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        return digest.hexdigest()


@dataclass
class Report:
    """What a publish did (or, with --dry-run, would do), file names at the destination."""

    destination: str
    feed_url: str
    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    dry_run: bool = False


class Destination(Protocol):
    """Where the files go: what is there, and the three things done to it."""

    label: str

    def stat(self, name: str) -> tuple[int, str | None] | None:
        """(size, MD5 hex when the store knows it) of what is at `name`, None when nothing is."""

    def read(self, name: str) -> bytes | None:
        """The bytes at `name` (the manifest), None when nothing is there."""

    def put(self, name: str, file: File) -> None: ...

    def delete(self, name: str) -> None: ...


# ------------------------------------------------------------------ what is published


def public_files(out_dir: Path) -> tuple[list[File], File, File, str]:
    """(media, page, feed, feed URL): every file listeners get, the feed and page made under base_url."""
    from audio_edition.publish.page import render_page  # noqa: PLC0415 - only a publish needs the page

    channel = load_channel(out_dir)
    if not channel.base_url:
        raise InputError(
            f"{out_dir / 'channel.toml'}: set base_url to the address the destination is published at "
            '(e.g. base_url = "https://example.org/podcast/"): the feed\'s links must point there'
        )
    base = folder_url(channel.base_url)
    episodes = [e for e in entries(out_dir) if not is_draft(out_dir / e.slug)]
    media: list[File] = []
    for entry in episodes:
        for _kind, relative in entry.files:
            path = out_dir / relative
            if not path.is_file():
                raise OutputError(f"{path} is missing: run `audio-edition feed rebuild` first")
            media.append(File(relative, path=path))
    cover = cover_name(channel)
    media.append(File(cover, data=cover_bytes(channel)))
    feed_url = url(base, FEED_NAME)
    page = File(PAGE_NAME, data=render_page(out_dir, episodes, channel, feed_url, cover=cover).encode())
    feed = File(FEED_NAME, data=render_feed(episodes, channel, base))
    return media, page, feed, feed_url


# ------------------------------------------------------------------ the publish


def publish_to(out_dir: Path, destination: str, *, dry_run: bool = False, endpoint_url: str | None = None) -> Report:
    """Put the podcast in `out_dir` at `destination` (s3://bucket/prefix or a folder), in the order above."""
    out_dir = Path(out_dir)
    if not (out_dir / "catalog.sqlite").is_file():
        raise InputError(f"{out_dir} holds no published podcast (no catalog.sqlite): convert an article first")
    target = open_destination(destination, endpoint_url=endpoint_url)
    if isinstance(target, Folder) and (
        target.root.resolve() == out_dir.resolve() or out_dir.resolve() in target.root.resolve().parents
    ):
        raise InputError(f"cannot publish {out_dir} into itself ({destination}): choose a folder outside it")
    with lock(out_dir):
        media, page, feed, feed_url = public_files(out_dir)
        report = Report(target.label, feed_url, dry_run=dry_run)
        old = _manifest(target)
        everything = [*media, page, feed]
        new = {f.name: {"size": f.size, "sha256": f.sha256()} for f in everything}
        gone = sorted(name for name in old if name not in new)
        changed = [f for f in everything if not _same(target, f, new[f.name], old.get(f.name))]
        report.uploaded = [f.name for f in changed]
        report.unchanged = [f.name for f in everything if f not in changed]
        report.deleted = gone
        if dry_run:
            return report
        for file in (f for f in changed if f.name not in (PAGE_NAME, FEED_NAME)):
            target.put(file.name, file)
        faults.point("host.media")
        _write_manifest(target, {**old, **new})
        for file in (f for f in changed if f.name in (PAGE_NAME, FEED_NAME)):
            target.put(file.name, file)  # the page, then the feed: the switch
            if file.name == PAGE_NAME:
                faults.point("host.page")
        faults.point("host.feed")
        for name in gone:
            target.delete(name)
        _write_manifest(target, new)
    return report


def _same(target: Destination, file: File, wanted: dict[str, Any], recorded: dict[str, Any] | None) -> bool:
    """Whether the destination already holds these bytes under the file's name: the same size, and the
    same SHA-256 in the manifest or the same MD5 in the store's own record (an S3 ETag)."""
    there = target.stat(file.name)
    if there is None or there[0] != wanted["size"]:
        return False
    if recorded is not None and recorded.get("sha256") == wanted["sha256"]:
        return True
    return there[1] is not None and there[1] == hashlib.md5(file.read()).hexdigest()


def _manifest(target: Destination) -> dict[str, dict[str, Any]]:
    data = target.read(MANIFEST_NAME)
    if data is None:
        return {}
    try:
        record = json.loads(data)
        files = record["files"] if record.get("format") == _MANIFEST_FORMAT else None
    except (ValueError, TypeError, KeyError, AttributeError):
        files = None
    if not isinstance(files, dict):
        raise OutputError(f"{target.label}: {MANIFEST_NAME} is not a manifest this tool wrote; move it away first")
    return {str(k): v for k, v in files.items() if isinstance(v, dict) and _safe(str(k))}


def _write_manifest(target: Destination, files: dict[str, dict[str, Any]]) -> None:
    body = json.dumps({"format": _MANIFEST_FORMAT, "files": dict(sorted(files.items()))}, indent=1).encode()
    target.put(MANIFEST_NAME, File(MANIFEST_NAME, data=body + b"\n"))


def _safe(name: str) -> bool:
    """A relative "/"-separated name with no way out of the destination."""
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


# ------------------------------------------------------------------ destinations


def open_destination(destination: str, *, endpoint_url: str | None = None) -> Destination:
    """The destination a --to argument names."""
    match = re.fullmatch(r"s3://([^/]+)/?(.*)", destination.strip())
    if match:
        return S3(match.group(1), match.group(2).strip("/"), endpoint_url)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", destination):
        raise InputError(f"{destination}: publish to s3://bucket/prefix or to a folder")
    if endpoint_url:
        raise InputError("--endpoint-url is for s3:// destinations")
    return Folder(Path(destination).expanduser())


class Folder:
    """A local folder: files written atomically (a temporary file, then renamed), folders made as needed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = str(root)
        if root.exists() and not root.is_dir():
            raise OutputError(f"cannot publish to {root}: it is a file, not a folder")

    def _path(self, name: str) -> Path:
        if not _safe(name):
            raise OutputError(f"{self.label}: refusing the name {name!r}")
        return self.root.joinpath(*PurePosixPath(name).parts)

    def stat(self, name: str) -> tuple[int, str | None] | None:
        path = self._path(name)
        return (path.stat().st_size, None) if path.is_file() else None

    def read(self, name: str) -> bytes | None:
        path = self._path(name)
        return path.read_bytes() if path.is_file() else None

    def put(self, name: str, file: File) -> None:
        path = self._path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, file.read(), prefix=".tmp-")
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None

    def delete(self, name: str) -> None:
        path = self._path(name)
        try:
            path.unlink(missing_ok=True)
            for parent in _parents(path, self.root):
                if any(parent.iterdir()):
                    break
                parent.rmdir()  # an episode folder emptied by the delete
        except OSError as exc:
            raise OutputError(f"cannot delete {path}: {exc.strerror or exc}") from None


def _parents(path: Path, root: Path) -> Iterator[Path]:
    for parent in path.parents:
        if parent == root or root not in parent.parents:
            return
        yield parent


class S3:
    """An S3-compatible bucket, through boto3 (credentials and region from its usual places)."""

    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None) -> None:
        try:
            import boto3  # noqa: PLC0415 - only an S3 publish needs it
            from botocore.config import Config  # noqa: PLC0415
        except ImportError:
            raise InputError("publishing to S3 needs boto3: pip install 'audio-edition[s3]'") from None
        self.bucket, self.prefix = bucket, prefix
        self.label = f"s3://{bucket}/{prefix}".rstrip("/")
        os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # no wait for an instance role off EC2
        config = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=10, read_timeout=60)
        self.client = boto3.client("s3", endpoint_url=endpoint_url, config=config)

    def _key(self, name: str) -> str:
        if not _safe(name):
            raise OutputError(f"{self.label}: refusing the name {name!r}")
        return f"{self.prefix}/{name}" if self.prefix else name

    def _call(self, what: str, call: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        try:
            return call(Bucket=self.bucket, **kwargs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise OutputError(
                f"{self.label}: {what}: {error.get('Code', '')} {error.get('Message', '')}".strip()
            ) from None
        except BotoCoreError as exc:
            raise OutputError(f"{self.label}: {what}: {exc}") from None

    def stat(self, name: str) -> tuple[int, str | None] | None:
        from botocore.exceptions import ClientError  # noqa: PLC0415

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            return self._call(f"cannot look at {name}", self.client.head_object, Key=self._key(name))
        etag = str(head.get("ETag", "")).strip('"')
        return int(head["ContentLength"]), (etag if re.fullmatch(r"[0-9a-f]{32}", etag) else None)

    def read(self, name: str) -> bytes | None:
        if self.stat(name) is None:
            return None
        body = self._call(f"cannot read {name}", self.client.get_object, Key=self._key(name))["Body"]
        return bytes(body.read())

    def put(self, name: str, file: File) -> None:
        data = file.read()
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        self._call(f"cannot upload {name}", self.client.put_object, Key=self._key(name), Body=data,
                   ContentType=media_type(name), CacheControl=_cache(name), ContentMD5=md5)  # fmt: skip

    def delete(self, name: str) -> None:
        self._call(f"cannot delete {name}", self.client.delete_object, Key=self._key(name))


def _cache(name: str) -> str:
    return "no-cache" if name == MANIFEST_NAME else cache_control(name)
