"""The roster file in the national column order (domain.md §1): read, check, preview, apply, export.

A roster is imported as a whole or not at all:

1. `preview_roster` reads the first sheet of the upload, checks every row and stores the cells as text
   (JSON-safe), the parsed values and every problem found, each naming its row and column. Problems are
   stored as codes and rendered by `describe()` in the reader's language.
2. `apply_roster` claims the import with a conditional UPDATE (a second submit finds it applied), checks the
   stored cells again against the database as it is now, and creates every member through
   `services.add_member`. Any problem raises `BranchError` and rolls back the whole transaction.

`export_roster` writes the same columns back, so an exported file can be imported again.

`columns` holds the template and the problem messages, `reading` the upload, `checking` the rows,
`importing` the preview and the apply, `exporting` the export. Every name is re-exported here.
"""

from .checking import check_rows, current_problems, parse_date
from .columns import (
    CATEGORIES,
    COLUMNS,
    DATE_KEYS,
    GENDERS,
    HEADER,
    INDEX,
    MESSAGES,
    STANDINGS,
    TEMPLATE,
    TEXT_KEYS,
    XLSX_CONTENT_TYPE,
    YES_NO,
    Problem,
    Row,
    describe,
)
from .exporting import EXPORT_WIDTHS, export_roster
from .importing import (
    PreviewCell,
    PreviewRow,
    apply_roster,
    preview_roster,
    preview_rows,
    purge_stale_previews,
)
from .reading import MAX_ROWS, MAX_UNPACKED_BYTES, check_file, read_sheet

__all__ = [  # noqa: RUF022 — grouped by module
    "CATEGORIES",
    "COLUMNS",
    "DATE_KEYS",
    "GENDERS",
    "HEADER",
    "INDEX",
    "MESSAGES",
    "STANDINGS",
    "TEMPLATE",
    "TEXT_KEYS",
    "XLSX_CONTENT_TYPE",
    "YES_NO",
    "Problem",
    "Row",
    "describe",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "check_file",
    "read_sheet",
    "check_rows",
    "current_problems",
    "parse_date",
    "PreviewCell",
    "PreviewRow",
    "apply_roster",
    "preview_roster",
    "preview_rows",
    "purge_stale_previews",
    "EXPORT_WIDTHS",
    "export_roster",
]
