"""Chinese is the default language: every message id has a zh_Hans translation."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_catalogue_has_no_untranslated_or_fuzzy_message():
    result = subprocess.run(
        [sys.executable, "scripts/po_untranslated.py", str(CATALOGUE)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "", "untranslated:\n" + result.stdout
