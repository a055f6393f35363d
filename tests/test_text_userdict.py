"""The jieba domain dictionary: strict line validation and domain words kept whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from voc_stream.config import ConfigError
from voc_stream.text import Segmenter, load_userdict
from voc_stream.text.userdict import DictEntry, parse_userdict_line

USERDICT = Path(__file__).resolve().parents[1] / "config" / "userdict.txt"


@pytest.mark.parametrize(
    ("line", "entry"),
    [
        ("刹车异响", DictEntry("刹车异响")),
        ("续航 5000", DictEntry("续航", 5000)),
        ("ETC eng", DictEntry("ETC", None, "eng")),
        ("好评返现 300 n", DictEntry("好评返现", 300, "n")),
    ],
)
def test_valid_lines(line: str, entry: DictEntry) -> None:
    assert parse_userdict_line(line) == entry


def test_bad_lines_are_reported_with_their_line_number(tmp_path: Path) -> None:
    path = tmp_path / "userdict.txt"
    path.write_text("# comment\n刹车异响 n\n\n续航 -5 n\n屏幕共享 10 N\n一 二 三 四\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_userdict(path)
    assert [field for field, _ in caught.value.problems] == ["line 4", "line 5", "line 6"]
    assert str(path) in str(caught.value)


def test_missing_or_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_userdict(tmp_path / "absent.txt")
    path = tmp_path / "gbk.txt"
    path.write_bytes("刹车异响".encode("gbk"))
    with pytest.raises(ConfigError):
        load_userdict(path)


@pytest.mark.parametrize("backend", ["python", "auto"])
def test_shipped_dictionary_is_valid_and_keeps_domain_words_whole(backend: str) -> None:
    entries = load_userdict(USERDICT)
    assert len(entries) >= 200
    segmenter = Segmenter(entries, backend=backend)
    for word in ("刹车异响", "续航", "ETC", "好评返现", "屏幕共享", "车机", "4S店", "微信", "先用后付"):
        assert word in segmenter.segment(f"我说{word}的事情"), word
