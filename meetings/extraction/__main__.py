"""`python -m meetings.extraction [--url URL] [--published YYYY-MM-DD] FILE...`

Prints one JSON object per file, one per line (UTF-8). A file that cannot be read is reported
as `error: FILE: reason` on stderr; the others are still processed, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .pipeline import extract
from .reader import ExtractionInputError, read_article


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m meetings.extraction",
        description="Extract the meeting record of each article file as one JSON line.",
    )
    parser.add_argument("--url", help="the article's address (wins over its front matter)")
    parser.add_argument(
        "--published", type=_date, help="publication date, YYYY-MM-DD (wins over front matter)"
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    failed = False
    for name in args.files:
        try:
            text, url, published = read_article(name)
            article = extract(text, url=args.url or url, published=args.published or published)
            print(article.to_json(), flush=True)
        except ExtractionInputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed = True
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            print(f"error: {name}: internal error ({type(exc).__name__}: {exc})", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
