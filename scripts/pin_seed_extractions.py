"""Rewrite tests/fixtures/extraction/*.json: the extractor's output on the two seed articles.

    .venv/bin/python scripts/pin_seed_extractions.py

tests/test_extraction_pipeline.py compares the extractor's output with these files, so that
any change to it is seen in review: run this after an intended change and read the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from meetings.extraction import extract, read_article  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
# Fixture name (the shared seed's) → the same text in the repository's seeds/.
SEEDS = {
    "000_4c3118dcf05229f7": ROOT / "seeds" / "hanoi_giaoban_khoi_mttq_quyIII_2023.txt",
    "002_e49174bc353bc758": ROOT / "seeds" / "haiphong_giaoban_khoi_mttq_nam2022.txt",
}


def main() -> None:
    for fixture in sorted(FIXTURES.glob("*.json")):
        text, url, published = read_article(SEEDS[fixture.stem])
        result = extract(text, url=url, published=published).to_dict()
        fixture.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(fixture.relative_to(ROOT))


if __name__ == "__main__":
    main()
