"""Build `ballots/data/strokes.tsv`, the stroke table behind surname stroke order (姓氏笔画), once.

    apt-get install -y unicode-data             # Unihan 15.0.0, under /usr/share/unicode/
    cd /tmp && npm pack cnchar-order@3.2.6 && tar xzf cnchar-order-3.2.6.tgz    # -> /tmp/package
    python3 scripts/build_stroke_table.py --unihan /usr/share/unicode --cnchar /tmp/package

Two sources, both under permissive licences (their notices are in ballots/data/LICENSES.md):
1. the total stroke count of every CJK Unified Ideograph of the basic block and extension A: Unihan's
   `kTotalStrokes`, the first value where there are two (the one for simplified Chinese);
2. the strokes in writing order of the 6,939 characters that cnchar-order describes (simplified Chinese),
   its stroke letters folded into the five classes of the national stroke-order standard: 横 1 (with 提),
   竖 2 (with 竖钩), 撇 3, 点 4 (with 捺), 折 5 (every other stroke that turns).
   Its sister package cnchar-trad is not used: its traditional orders put 門 as 𠃍一一丨丨𠃌一一, and
   with it every character built on 門, 重 or 肅, so they would sort among the wrong first strokes; a
   traditional character sorts by its count alone (see ballots/strokes.py).

A line is `char TAB total [TAB strokes]`; a character of which only the count is known has no third field.
The count is always Unihan's: where cnchar's sequence has another length (皙 and 囍), the script names
the characters and keeps both as they are — the sequence only breaks ties between characters of one count.
Only the standard library is used, so the script runs with any Python 3.12.
"""

from __future__ import annotations

import argparse
import bz2
import json
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ballots" / "data" / "strokes.tsv"

# The blocks covered: what a member's name can be written in with an ordinary input method.
BLOCKS = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF)]

# cnchar's stroke names, by letter, folded into the five classes. The build stops if cnchar's own table
# names a letter differently, so a new cnchar release cannot change the classes without a look.
CLASS_OF_STROKE = {
    "横": "1",
    "提": "1",
    "竖": "2",
    "竖钩": "2",
    "撇": "3",
    "点": "4",
    "点2": "4",
    "捺": "4",
}
FOLD = "5"

JSON_LITERAL = re.compile(r"JSON\.parse\('((?:[^'\\]|\\.)*)'\)")


def read_total_strokes(unihan: Path) -> tuple[dict[str, int], str]:
    """kTotalStrokes by character, and the Unicode version named in the file's header."""
    if unihan.is_dir():
        candidates = [
            unihan / "Unihan_IRGSources.txt",
            unihan / "Unihan_IRGSources.txt.bz2",
            unihan / "Unihan.zip",
        ]
        unihan = next((p for p in candidates if p.exists()), candidates[0])
    if unihan.suffix == ".zip":
        with zipfile.ZipFile(unihan) as z:
            text = z.read("Unihan_IRGSources.txt").decode("utf-8")
    elif unihan.suffix == ".bz2":
        text = bz2.decompress(unihan.read_bytes()).decode("utf-8")
    else:
        text = unihan.read_text("utf-8")
    version = re.search(r"^# Unicode version: (\S+)", text, re.MULTILINE)
    totals = {}
    for line in text.splitlines():
        if "\tkTotalStrokes\t" not in line:
            continue
        codepoint, _field, values = line.split("\t")
        totals[chr(int(codepoint[2:], 16))] = int(values.split()[0])
    return totals, version.group(1) if version else "unknown"


def read_cnchar(package: Path) -> tuple[dict[str, str], dict[str, str], str]:
    """(stroke letters by character, stroke names by letter, name@version)."""
    meta = json.loads((package / "package.json").read_text("utf-8"))
    source = (package / meta["main"]).read_text("utf-8")
    orders: dict[str, str] = {}
    names: dict[str, str] = {}
    # The package is a webpack bundle: its tables are JSON string literals handed to JSON.parse.
    for match in JSON_LITERAL.finditer(source):
        data = json.loads(match.group(1))
        if not isinstance(data, dict):
            continue
        values = list(data.values())
        if values and all(isinstance(v, dict) and "name" in v for v in values):
            names = {letter: v["name"] for letter, v in data.items()}
        elif len(data) > 1000 and all(
            len(k) == 1 and isinstance(v, str) and re.fullmatch("[a-z]+", v) for k, v in data.items()
        ):
            orders.update(data)
    if not orders:
        sys.exit(f"{package}: no stroke-order table found")
    return orders, names, f"{meta['name']}@{meta['version']}"


def class_of_letter(names: dict[str, str]) -> dict[str, str]:
    table = {}
    for letter, name in names.items():
        # A letter may stand for two shapes ("横折折|横折弯"); they must fall into one class.
        classes = {CLASS_OF_STROKE.get(part, FOLD) for part in name.split("|")}
        if len(classes) != 1:
            sys.exit(f"cnchar letter {letter!r} ({name}) spans stroke classes {sorted(classes)}")
        table[letter] = classes.pop()
    for name, digit in CLASS_OF_STROKE.items():
        if name not in names.values():
            sys.exit(f"cnchar names no stroke {name!r} (expected class {digit}): check its stroke table")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--unihan", type=Path, default=Path("/usr/share/unicode"))
    parser.add_argument("--cnchar", type=Path, required=True, help="the unpacked npm package cnchar-order")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    totals, unicode_version = read_total_strokes(args.unihan)
    orders, names, source = read_cnchar(args.cnchar)
    if not names:
        sys.exit(f"{source} carries no stroke table (cnchar-order does)")
    digit = class_of_letter(names)

    chars = {chr(cp) for lo, hi in BLOCKS for cp in range(lo, hi + 1) if chr(cp) in totals} | set(orders)
    lines = []
    mismatched = []
    for char in sorted(chars):
        if char not in totals:
            sys.exit(f"{char} (U+{ord(char):04X}) has a stroke order but no kTotalStrokes")
        sequence = "".join(digit[letter] for letter in orders.get(char, ""))
        if sequence and len(sequence) != totals[char]:
            mismatched.append(f"{char} {totals[char]}/{len(sequence)}")
        lines.append(f"{char}\t{totals[char]}" + (f"\t{sequence}" if sequence else ""))

    header = [
        "# Stroke table for surname stroke order (姓氏笔画). Generated by scripts/build_stroke_table.py; do not edit.",
        f"# Total strokes: Unicode Unihan kTotalStrokes, Unicode {unicode_version} (Unicode licence).",
        f"# Stroke sequences: {source} (MIT), letters folded to 横1 竖2 撇3 点4 折5.",
        "# Modified from the sources: fields selected, sequences recoded. Notices: LICENSES.md beside this file.",
        "# char<TAB>total strokes[<TAB>strokes in writing order]",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    with_sequence = sum(1 for line in lines if line.count("\t") == 2)
    print(f"{args.out}: {len(lines)} characters, {with_sequence} with a stroke sequence")
    if mismatched:
        print(f"count (Unihan/cnchar) differs for {len(mismatched)}: {' '.join(mismatched)}")


if __name__ == "__main__":
    main()
