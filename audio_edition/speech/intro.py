"""How a language says who wrote an article and when: the spoken intro and the transcript's header.

Each language's words are data (`data/<language>/intro.toml`): "By {author}.",
"Published {date}.", the caption label, and for languages other than English
the date's pattern and its weekday and month names. English dates are the ones
`Article.date_text` writes; a language without a file is introduced in English.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from audio_edition.model import Article

__all__ = ["Wording", "wording"]


@dataclass(frozen=True)
class Wording:
    """One language's intro words."""

    by: str
    published: str
    photo: str
    date: str = ""
    time: str = ""
    first_day: str = ""
    weekdays: tuple[str, ...] = ()
    months: tuple[str, ...] = ()

    def byline(self, author: str, sentence: bool = True) -> str:
        """ "By Jane Roe." (without the full stop when not `sentence`: a header line)."""
        return (self.by if sentence else self.by.removesuffix(".")).format(author=author)

    def date_text(self, article: Article) -> str | None:
        """The publication date as this language writes it in a sentence; None when unknown."""
        when = article.published
        if when is None:
            return None
        if not self.date:
            return article.date_text
        return self._date(when, article.has_time)

    def _date(self, when: datetime, has_time: bool) -> str:
        day = self.first_day if when.day == 1 and self.first_day else str(when.day)
        text = self.date.format(weekday=self.weekdays[when.weekday()], day=day, month=self.months[when.month - 1],
                                year=when.year)  # fmt: skip
        return self.time.format(date=text, hour=when.hour, minute=when.minute) if has_time else text

    def date_line(self, article: Article, sentence: bool = True) -> str | None:
        """The intro's date sentence: "Published Thursday, June 18, 2026, at 2:05 p.m." (a header line
        without the sentence's own full stop when not `sentence`)."""
        date = self.date_text(article)
        if date is None:
            return None
        if not sentence:
            return self.published.removesuffix(".").format(date=date)
        return self.published.format(date=date.rstrip(".")).rstrip(".") + "."


@cache
def wording(language: str = "en") -> Wording:
    """The intro words of a language (a BCP 47 tag: "de", "en-GB"); English's when it has none."""
    primary = language.split("-")[0].split("_")[0].lower()
    path = files("audio_edition.speech") / "data" / primary / "intro.toml"
    if not primary.isalpha() or not path.is_file():
        path = files("audio_edition.speech") / "data" / "en" / "intro.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Wording(
        by=data["by"], published=data["published"], photo=data["photo"], date=data.get("date", ""),
        time=data.get("time", ""), first_day=data.get("first_day", ""),
        weekdays=tuple(data.get("weekdays", ())), months=tuple(data.get("months", ())),
    )  # fmt: skip
