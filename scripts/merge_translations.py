"""Fill empty Vietnamese translations in locale/vi/LC_MESSAGES/django.po from JSON files.

    python scripts/merge_translations.py TRANSLATIONS.json [...]
    python manage.py compilemessages -l vi --ignore=.venv

Each JSON file maps an English msgid to its Vietnamese text. Entries already translated in
the .po file are kept (the .po file is the reference); plural entries take the same text for
Vietnamese's single plural form. Needs polib (pip install polib), a tool of this script only.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main(paths: list[str]) -> None:
    translations: dict[str, str] = {}
    for path in paths:
        translations.update(json.loads(Path(path).read_text(encoding="utf-8")))
    po = polib.pofile(str(PO))
    for entry in po:
        # makemessages guesses from similar msgids ("fuzzy"); a guess is never a translation.
        if "fuzzy" in entry.flags or entry.previous_msgid:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            entry.msgstr = ""
            entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
    filled = 0
    for entry in po:
        text = translations.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            if not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: text}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = text
            filled += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    print(f"filled {filled}; untranslated {len(missing)}")
    for msgid in missing:
        print(f"  {msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
