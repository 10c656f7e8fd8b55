"""Chinese text carries Chinese punctuation: no half-width , . : ; ? ! ( ) next to a Chinese character in a
msgstr of the zh_Hans catalogue ("您已投票 (网上)." is written "您已投票（网上）。")."""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Chinese characters, CJK punctuation and full-width forms.
CJK = r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]"
HALF_WIDTH = r"[,.:;?!()]"
# A half-width mark next to Chinese, one space allowed between ("投票 (网上)").
WRONG = re.compile(rf"{CJK} ?{HALF_WIDTH}|{HALF_WIDTH} ?{CJK}")
# What may keep its half-width marks: format placeholders, URLs and addresses, numbers, file extensions.
ALLOWED = [
    re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}"),
    re.compile(r"https?://\S+|/[\w./-]+"),
    re.compile(r"\d+(?:[.:,]\d+)+"),
    re.compile(r"\.[A-Za-z]{2,5}\b"),
]


def wrong_punctuation(text: str) -> list[str]:
    for allowed in ALLOWED:
        text = allowed.sub("X", text)
    return [m.group(0) for m in WRONG.finditer(text)]


def test_the_check_finds_half_width_punctuation_next_to_chinese():
    assert wrong_punctuation("您已投票 (网上).")
    assert wrong_punctuation("您已投票（网上）。") == []
    assert wrong_punctuation("截至%(day)s：已到%(n)d人") == []
    assert wrong_punctuation("请上传 Excel 文件（.xlsx）。") == []
    assert wrong_punctuation("得票率 66.7%，见 https://example.cn/a.b") == []
    assert wrong_punctuation("已完成.") != []
    assert wrong_punctuation("注意:请核对") != []


def test_no_chinese_msgstr_carries_half_width_punctuation():
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    offenders = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for text in strings:
            found = wrong_punctuation(text or "")
            if found:
                offenders.append(f"{text!r}: {found}")
    assert offenders == [], "half-width punctuation in Chinese:\n" + "\n".join(offenders)
