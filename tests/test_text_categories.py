"""The category model beside the lexicon: what it adds, and where the lexicon's judgement stands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from voc_stream.config import ConfigError
from voc_stream.text import TextAnalyzer
from voc_stream.text.analyzer import MODEL_BELOW_SENTIMENT, load_category_model
from voc_stream.text.category_model import CategoryModel
from voc_stream.text.category_training import fit_category_model
from voc_stream.text.features import feature_set

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config"
TRAIN_SCRIPT = ROOT / "scripts" / "train_categories.py"


@pytest.fixture(scope="module")
def shipped() -> TextAnalyzer:
    return TextAnalyzer.from_config(CONFIG)


@pytest.fixture(scope="module")
def lexicon_alone() -> TextAnalyzer:
    return TextAnalyzer.from_config(CONFIG, category_model="off")


def lamp_model(min_probability: float = 0.8) -> CategoryModel:
    """A hand-made model: the word 台灯 means 质量问题, and nothing else means anything."""
    return CategoryModel(["质量问题"], [-3.0], {"台灯": [(0, 30.0)]}, min_probability)


def with_model(base: TextAnalyzer, model: CategoryModel | None) -> TextAnalyzer:
    return TextAnalyzer(base.lexicon, base.segmenter, base.sentiment, model)


def test_the_shipped_model_reads_only_categories_of_the_shipped_lexicon(shipped: TextAnalyzer) -> None:
    model = shipped.category_model
    assert model is not None and 0.5 <= model.min_probability < 1.0
    assert set(model.names) <= {category.name for category in shipped.lexicon.categories}
    assert len(model.names) == len(shipped.lexicon.categories)


@pytest.mark.parametrize(("text", "category"), [
    ("充电宝充了一晚上还是一格电", "电池故障"),
    ("这个月话费莫名其妙多了30块，没开过任何业务", "扣款异常"),
])
def test_the_model_adds_a_category_the_lexicon_has_no_words_for(
    shipped: TextAnalyzer, lexicon_alone: TextAnalyzer, text: str, category: str
) -> None:
    assert category not in lexicon_alone.analyze(text).categories
    analysis = shipped.analyze(text)
    assert category in analysis.categories and analysis.learned == [category]
    assert analysis.to_dict()["learned_categories"] == [category]


def test_the_lexicon_reports_the_categories_it_has_words_for(lexicon_alone: TextAnalyzer) -> None:
    lexicon = lexicon_alone.lexicon
    assert lexicon.words_seen("台灯一闪一闪的，不是质量问题，是家里电压不稳") == (frozenset({"质量问题"}), False)
    assert lexicon.words_seen("台灯用了三天就一闪一闪的") == (frozenset(), False)
    assert lexicon.words_seen("温馨提示：台灯请勿长时间使用，切勿自行拆卸")[1] is True
    seen, _ = lexicon.words_seen("刹车没有异响，电池也正常")
    assert "刹车异响" in seen


def test_a_category_the_lexicon_ruled_out_stays_out(lexicon_alone: TextAnalyzer) -> None:
    analyzer = with_model(lexicon_alone, lamp_model())
    added = analyzer.analyze("台灯用了三天就一闪一闪的")
    assert added.learned == ["质量问题"] and added.categories == ["质量问题"]
    # The same word beside a negated term of the category: the lexicon has judged 质量问题.
    judged = analyzer.analyze("台灯一闪一闪的，不是质量问题，是家里电压不稳")
    assert judged.categories == [] and judged.learned == []


def test_clearly_positive_texts_and_notices_get_nothing_from_the_model(lexicon_alone: TextAnalyzer) -> None:
    analyzer = with_model(lexicon_alone, lamp_model())
    praise = analyzer.analyze("台灯太好用了，五星好评，推荐大家买")
    assert praise.sentiment >= MODEL_BELOW_SENTIMENT and praise.learned == []
    notice = analyzer.analyze("温馨提示：台灯请勿长时间使用，切勿自行拆卸")
    assert notice.sentiment < MODEL_BELOW_SENTIMENT and notice.learned == []


def test_categories_come_in_lexicon_order_and_the_batch_reads_as_single_texts(shipped: TextAnalyzer) -> None:
    texts = ["充电宝充了一晚上还是一格电，客服也不理人", "刹车片换了以后一直吱吱的", "", "好评",
             "这个月话费莫名其妙多了30块，没开过任何业务"]
    batch = shipped.analyze_many(texts)
    assert batch == [shipped.analyze(text) for text in texts]
    order = {category.name: index for index, category in enumerate(shipped.lexicon.categories)}
    for analysis in batch:
        assert [order[name] for name in analysis.categories] == sorted(order[name] for name in analysis.categories)
        assert set(analysis.learned) <= set(analysis.categories)


def test_a_category_missing_from_the_lexicon_is_not_read(lexicon_alone: TextAnalyzer) -> None:
    model = CategoryModel(["已删除的类别", "质量问题"], [-3.0, -3.0], {"台灯": [(0, 30.0), (1, 30.0)]}, 0.8)
    analysis = with_model(lexicon_alone, model).analyze("台灯用了三天就一闪一闪的")
    assert analysis.learned == ["质量问题"]


def test_probabilities_agree_with_the_threshold() -> None:
    model = lamp_model(min_probability=0.9)
    inside, outside = feature_set(["台灯", "一直", "闪"]), feature_set(["吊灯", "一直", "闪"])
    assert model.probabilities(inside)["质量问题"] >= 0.9 and model.categories(inside) == ["质量问题"]
    assert model.probabilities(outside)["质量问题"] < 0.9 and model.categories(outside) == []
    assert model.categories(set()) == [] and model.categories_many([]) == []


def test_a_model_survives_saving_and_loading(tmp_path: Path) -> None:
    model = lamp_model()
    model.save(tmp_path / "model.json")
    again = CategoryModel.load(tmp_path / "model.json")
    features = feature_set(["台灯", "闪"])
    assert again.names == model.names and again.probabilities(features) == pytest.approx(model.probabilities(features))


def test_fitting_learns_the_word_that_separates_the_labels() -> None:
    documents = [["地板", "渗", "水"], ["墙角", "渗", "水", "了"], ["管子", "渗", "了"], ["窗边", "渗", "进来"]] * 5 + [
        ["很", "好", "用"], ["物流", "很", "快"], ["水", "很", "甜"], ["颜色", "好看"], ["地板", "很", "亮"]] * 8
    labels = [frozenset({"漏水"})] * 20 + [frozenset()] * 40
    model = fit_category_model(documents, labels, ["漏水"], l2=0.1, min_probability=0.8)
    assert model.categories(feature_set(["卫生间", "渗", "水"])) == ["漏水"]
    assert model.categories(feature_set(["水", "很", "好"])) == []
    with pytest.raises(ValueError, match="no labelled example of 异味"):
        fit_category_model(documents, labels, ["漏水", "异味"])


def test_off_and_bad_model_files(tmp_path: Path) -> None:
    assert load_category_model("off") is None
    (tmp_path / "bad.json").write_text('{"categories": ["漏水"]}', encoding="utf-8")
    with pytest.raises(ConfigError, match="missing field 'weights'"):
        load_category_model(tmp_path / "bad.json")
    with pytest.raises(ConfigError, match="category model not found"):
        load_category_model(tmp_path / "nope.json")
    (tmp_path / "range.json").write_text(json.dumps(
        {"categories": ["漏水"], "biases": [0], "min_probability": 0.8, "weights": {"渗": [[3, 1.0]]}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="out of range"):
        load_category_model(tmp_path / "range.json")


def test_the_environment_switches_the_model_off_and_check_config_names_a_bad_one(tmp_path: Path) -> None:
    def run(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
        import os

        return subprocess.run([sys.executable, "-m", "voc_stream.cli", *args], input=stdin, capture_output=True,
                              text=True, env={**os.environ, **env}, timeout=120)

    text = "充电宝充了一晚上还是一格电\n"
    assert json.loads(run("analyze", env={}, stdin=text).stdout)["learned_categories"] == ["电池故障"]
    off = json.loads(run("analyze", env={"VOC_CATEGORY_MODEL": "off"}, stdin=text).stdout)
    assert off["learned_categories"] == [] and "电池故障" not in off["categories"]
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    checked = run("check-config", str(CONFIG), env={"VOC_CATEGORY_MODEL": str(tmp_path / "bad.json")})
    assert checked.returncode == 1
    assert "not a category model" in checked.stdout and "(VOC_CATEGORY_MODEL)" in checked.stdout


def test_the_training_script_refuses_unknown_categories_in_your_labels(tmp_path: Path) -> None:
    extra = tmp_path / "mine.jsonl"
    extra.write_text('{"text": "屏幕碎了", "categories": ["屏幕问题"]}\n', encoding="utf-8")
    result = subprocess.run([sys.executable, str(TRAIN_SCRIPT), "--extra", str(extra), "--out", str(tmp_path / "m.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "not a category of the lexicon: 屏幕问题" in result.stderr
    assert not (tmp_path / "m.json").exists()


def test_the_batch_scorer_reads_as_the_two_models_read_one_text_at_a_time(shipped: TextAnalyzer) -> None:
    from voc_stream.text.batch_scoring import BatchScorer
    from voc_stream.text.training import segments_for

    texts = ["充电宝充了一晚上还是一格电", "这个月话费莫名其妙多了30块，没开过任何业务", "好评，物流很快", "",
             "刹车片换了以后一直吱吱的", "下单五天了还在仓库没动", "!!!", "客服说帮我查，然后就再也没回复"] * 40
    token_lists = [segments_for(shipped.segmenter, text) for text in texts]
    feature_sets = [feature_set(tokens) for tokens in token_lists]
    sentiments, proposals = BatchScorer(shipped.sentiment, shipped.category_model).score(feature_sets, token_lists, 0.7)
    assert sentiments == pytest.approx([shipped.sentiment.score(tokens) for tokens in token_lists], abs=1e-12)
    one_by_one = [shipped.category_model.categories(features) if value < 0.7 else []
                  for features, value in zip(feature_sets, sentiments)]
    assert proposals == one_by_one and any(proposals)
    alone, none = BatchScorer(shipped.sentiment).score(feature_sets, token_lists, 0.7)
    assert alone == sentiments and not any(none)
