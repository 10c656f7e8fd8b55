"""Surname stroke order (姓氏笔画) from the committed table: counts, first strokes, names, unknown characters.

Every expectation below was checked against ballots/data/strokes.tsv (count, then strokes 横1 竖2 撇3 点4 折5).
"""

from importlib.resources import files

import pytest

from ballots import strokes


@pytest.mark.parametrize(
    ("char", "total", "sequence"),
    [("丁", 2, "12"), ("王", 4, "1121"), ("孔", 4, "5215"), ("李", 7, "1234521"), ("张", 7, "5153154")],
)
def test_the_table_gives_the_count_and_the_strokes_in_writing_order(char, total, sequence):
    assert strokes.strokes_of(char) == (total, sequence)


def test_fewer_strokes_come_first():
    # 丁 2, 马 3, 王 4, 白 5, 刘 6, 李 7, 周 8, 徒 10, 葛 12
    assert strokes.sort_by_strokes(["葛", "徒", "周", "李", "刘", "白", "王", "马", "丁"]) == [
        "丁",
        "马",
        "王",
        "白",
        "刘",
        "李",
        "周",
        "徒",
        "葛",
    ]


def test_the_first_stroke_breaks_a_tie_in_the_order_heng_shu_pie_dian_zhe():
    # All of 4 strokes: 王 横, 贝 竖, 毛 撇, 方 点, 孔 折.
    assert strokes.sort_by_strokes(["孔", "方", "毛", "贝", "王"]) == ["王", "贝", "毛", "方", "孔"]


def test_the_first_stroke_decides_between_surnames_of_one_count():
    assert strokes.sort_by_strokes(["张", "李"]) == ["李", "张"]  # 7: 李 1234521 横, 张 5153154 折
    assert strokes.sort_by_strokes(["白", "石"]) == ["石", "白"]  # 5: 石 13251 横, 白 32511 撇


def test_the_next_stroke_decides_when_the_first_is_the_same():
    assert strokes.sort_by_strokes(["丁", "二"]) == ["二", "丁"]  # 2: 二 11, 丁 12
    assert strokes.sort_by_strokes(["徐", "徒"]) == ["徒", "徐"]  # 10: 徒 3321212134, 徐 3323411234


def test_names_compare_character_by_character_after_the_surname():
    names = ["王小明", "周四", "王一", "欧阳华", "王一二", "王大力", "司马光"]
    # 王 4 < 司 5 < 欧 8 (横) < 周 8 (撇); among 王: 一 1 < 大 3 (横) < 小 3 (竖); 王一 before 王一二.
    assert strokes.sort_by_strokes(names) == [
        "王一",
        "王一二",
        "王大力",
        "王小明",
        "司马光",
        "欧阳华",
        "周四",
    ]


def test_the_surrounding_space_of_a_name_is_ignored():
    assert strokes.stroke_key(" 王一 ") == strokes.stroke_key("王一")


def test_a_character_with_a_count_but_no_sequence_follows_its_count_and_precedes_the_next():
    # 門 (traditional) has 8 strokes in Unihan and no sequence: after 欧 and 周, before 徒 (10).
    assert strokes.strokes_of("門") == (8, "")
    assert strokes.sort_by_strokes(["徒", "門", "周", "欧"]) == ["欧", "周", "門", "徒"]


def test_characters_missing_from_the_table_come_last_by_code_point():
    unknown = ["Zoe", "Anna", "𠇔", "买买提·艾力"]
    assert strokes.strokes_of("A") is None and strokes.strokes_of("𠇔") is None
    assert strokes.sort_by_strokes(["Zoe", "𠇔", "齉", "Anna", "丁一"]) == ["丁一", "齉", "Anna", "Zoe", "𠇔"]
    # Within a name too: '·' is not in the table, 艾 is, so the name without the dot comes first.
    assert strokes.sort_by_strokes(["买买提·艾力", "买买提艾力"]) == ["买买提艾力", "买买提·艾力"]
    assert strokes.sort_by_strokes(unknown) == strokes.sort_by_strokes(list(reversed(unknown)))


def test_the_table_covers_every_ideograph_of_the_basic_block():
    missing = [chr(cp) for cp in range(0x4E00, 0x9FFF + 1) if strokes.strokes_of(chr(cp)) is None]
    assert missing == []


def test_the_table_is_small_and_carries_its_licence_notices():
    data = files("ballots").joinpath("data")
    assert len(data.joinpath("strokes.tsv").read_bytes()) < 1_000_000
    notice = data.joinpath("LICENSES.md").read_text("utf-8")
    assert "UNICODE, INC. LICENSE AGREEMENT" in notice and "Unicode 15.0.0" in notice
    assert "cnchar-order" in notice and "The MIT License" in notice
    assert "LICENSES.md" in data.joinpath("strokes.tsv").read_text("utf-8").splitlines()[3]
