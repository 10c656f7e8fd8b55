"""Print the msgids of a catalogue that have no translation (or a fuzzy one), one per line as JSON strings.

Used when filling the zh_Hans catalogue; the test suite asserts the list is empty.
"""

import json
import sys

import polib  # noqa: I001  (dev tool; installed with the dev extras)

po = polib.pofile(sys.argv[1] if len(sys.argv) > 1 else "locale/zh_Hans/LC_MESSAGES/django.po")
for entry in po:
    if entry.obsolete:
        continue
    missing = not all(entry.msgstr_plural.values()) if entry.msgid_plural else not entry.msgstr
    if missing or "fuzzy" in entry.flags:
        print(
            json.dumps(entry.msgid, ensure_ascii=False)
            + ("\t" + json.dumps(entry.msgid_plural) if entry.msgid_plural else "")
        )
