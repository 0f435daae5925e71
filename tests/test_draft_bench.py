"""The benchmark and the trained decision: a key of heldout4's form read and scored (on a
synthetic set made here, never on the sealed one), casualties and places compared, and
training that gives the same weights from the same data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from bench.draft import ARTICLES, agree, casualties, evaluate, key_cases
from bench.draft_train import OUT, STATUS_OUT, fit
from bench.draft_train import main as train
from generator.tools.draft import Article, Classifier, draft_article
from generator.tools.draft.classifier import ModelError, from_json, shipped
from generator.tools.draft.features import NAMES

HEADER = "url: https://example.com/{n}\npublisher: Example\ntitle: T{n}\npublished: {day}\n---\n"

KEY = """
- article: heldout9/001.txt
  published: 2024-02-03
  incidents:
  - date: 2024-02-02
    kind: attack
    location: Besmaya base
    country: Iraq
    site: true
    weapon: [rocket]
    status: confirmed
    casualties:
      us: {injured: {min: 2}}
- article: 002.txt
  negative: true
  incidents: []
- article: 003.txt
  scope: out
  incidents:
  - {date: 2024-02-01, kind: strike, location: Sanaa, country: Yemen}
- article: 004.txt
  incidents:
  - date: 2024-02-02
    kind: attack
    base: tower-22
    weapon: [drone]
    status: confirmed
"""

TEXTS = {
    "001.txt": "Rockets hit the Besmaya base on Friday, wounding at least two US soldiers, a "
    "US official said.",
    "002.txt": "US officials said on Friday that Iran was behind last month's attacks.",
    "003.txt": "US aircraft struck targets in Sanaa, Yemen, on Thursday, the Pentagon said.",
    "004.txt": "A drone struck the Tower 22 base on Friday, a US official said.",
}


@pytest.fixture
def synthetic(tmp_path):
    """A set in heldout4's form, in a folder of its own: its own key.yaml, articles named
    bare or with the set, a negative, one out of scope, casualties and a site."""
    folder = tmp_path / "heldout9"
    folder.mkdir()
    (folder / "key.yaml").write_text(KEY)
    for n, (name, text) in enumerate(TEXTS.items()):
        day = "2024-02-03" if n != 1 else "unknown"
        (folder / name).write_text(HEADER.format(n=n, day=day) + text + "\n")
    return tmp_path


def test_a_key_of_heldout4s_form_is_read(synthetic):
    cases = key_cases("heldout9", root=synthetic)
    assert [c.path.name for c in cases] == ["001.txt", "002.txt", "003.txt", "004.txt"]
    assert [len(c.incidents) for c in cases] == [1, 0, 0, 1]  # negative, out of scope: none
    assert all(c.casualties_coded for c in cases)
    assert cases[0].published == dt.date(2024, 2, 3)


def test_a_set_of_heldout4s_form_is_scored(synthetic, evaluation):
    result = evaluate(key_cases("heldout9", root=synthetic), evaluation)
    assert result.articles == 4
    assert (result.triple.found, result.triple.keyed) == (2, 2)
    assert result.negatives == 2  # the negative and the article out of scope
    assert result.fields["casualties"].keyed == 2  # coded throughout: omitted = none stated
    assert result.fields["casualties"].found == 2


def test_the_score_is_split_by_whether_the_page_gives_its_date(synthetic, evaluation):
    """A person drafting from a page without a date must give it (--published): the figures
    on such pages are shown apart from the others, and the two add up to the whole."""
    from bench.draft import report

    result = evaluate(key_cases("heldout9", root=synthetic), evaluation)
    assert result.pages == {"dated": 3, "undated": 1}  # 002.txt says "published: unknown"
    dated, undated = result.by_page["dated"], result.by_page["undated"]
    assert (dated.found, dated.keyed, undated.keyed, undated.drafted) == (2, 2, 0, 0)
    lines = report(result, "the synthetic set")
    assert "| (date, kind, place) on 3 pages with a date | 1.00 | 1.00 | 1.00 |" in "\n".join(lines)
    assert any(line.startswith("| (date, kind, place) on 1 page without a date") for line in lines)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (
            {"us": {"killed": 0, "injured": {"min": 2}}},
            {"us": {"injured": {"min": 2}, "killed": 0}},
            True,
        ),
        ({"killed": 1}, {"unknown": {"killed": 1}}, True),  # the older form is side unknown
        ({"us": {"injured": 2}}, {"us": {"injured": 3}}, False),
        (None, {}, True),
        ({"partner": {"killed": 1}}, {"us": {"killed": 1}}, False),
    ],
)
def test_casualties_are_compared_by_side_and_outcome(a, b, same):
    assert (casualties(a) == casualties(b)) is same


def test_two_names_of_one_gazetteer_site_are_one_place():
    draft = {"kind": "attack", "location": "Hemo base", "country": "Syria"}
    key = {"kind": "attack", "location": "Himo", "country": "Syria"}
    assert agree(draft, key, "place")
    assert not agree(draft, {**key, "country": "Iraq"}, "place")


def test_a_base_and_a_site_beside_it_are_one_place():
    """The keys write the coalition camp at Baghdad's airport as camp-victory or as the
    airport: either matches a draft that says the other."""
    key = {"kind": "attack", "base": "camp-victory"}
    draft = {"kind": "attack", "location": "Baghdad International Airport", "country": "Iraq"}
    assert agree(draft, key, "place") and agree(key, draft, "place")
    assert not agree({**draft, "location": "Baghdad"}, key, "place")
    assert not agree(draft, {"kind": "attack", "base": "camp-taji"}, "place")


def test_training_gives_the_same_weights_from_the_same_data():
    rows = [([float(n % 3 == 0)] * len(NAMES), int(n % 3 == 0)) for n in range(30)]
    rows += [([float(n % 2)] * len(NAMES), n % 2) for n in range(20)]
    first, second = fit(rows), fit(list(rows))
    assert first.as_json({}) == second.as_json({})
    assert first.says([1.0] * len(NAMES)) and not first.says([0.0] * len(NAMES))


def test_the_shipped_model_has_the_features_the_code_computes():
    model = shipped()
    assert model.features == NAMES
    text = model.as_json({})
    assert from_json(text) == model
    with pytest.raises(ModelError, match="make train-draft"):
        from_json(json.dumps({"features": {"other": 1.0}, "bias": 0}))


def test_a_model_given_decides_news_from_background(evaluation):
    article = Article(
        "Rockets hit the Green Village base on Friday, a US official said.",
        "a.txt",
        published=dt.date(2023, 10, 2),
    )
    never = Classifier(NAMES, tuple(0.0 for _ in NAMES), -5.0)
    always = Classifier(NAMES, tuple(0.0 for _ in NAMES), 5.0)
    assert all(d.background for d in draft_article(article, evaluation, never))
    assert not any(d.background for d in draft_article(article, evaluation, always))


def test_the_shipped_model_is_what_make_train_draft_writes(tmp_path, capsys):
    """Same data, same bytes: the weights in the package are the ones the keyed articles
    give now (after a change to the lexicon or the keys, run `make train-draft`)."""
    out, status = tmp_path / "news.json", tmp_path / "status.json"
    assert train(["--out", str(out), "--status-out", str(status)]) == 0
    assert out.read_bytes() == OUT.read_bytes()
    assert status.read_bytes() == STATUS_OUT.read_bytes()


def test_cross_validation_stays_above_its_floor(capsys):
    """Each keyed set scored by models trained on the others: measured pooled over the
    fourteen folds (date, kind, place) F1 0.79, status F1 0.747, nothing drafted on 191 of the
    204 articles with no new incident (2026-12-08, 6401a88)."""
    from bench.draft import main as bench

    assert bench(["--set", "cv"]) == 0
    pooled = capsys.readouterr().out.split("## draft on the 14 folds pooled")[1]
    f1 = {
        line.split("|")[1].strip(): float(line.split("|")[4])
        for line in pooled.split("\n")
        if line.startswith("| (date") or line.startswith("| status")
    }
    assert f1["(date, kind, place)"] >= 0.77 and f1["status"] >= 0.73
    clean = pooled.split("Negatives (articles with no new incident): ")[1].split(" drafted")[0]
    drafted_nothing, of = (int(n) for n in clean.split(" of "))
    assert (of, drafted_nothing) == (204, drafted_nothing) and drafted_nothing >= 186


def test_a_status_model_given_decides_the_status(evaluation):
    from generator.tools.draft import StatusModel
    from generator.tools.draft.features import STATUS_NAMES

    article = Article(
        "Rockets hit the Green Village base on Friday, local media reported.",
        "a.txt",
        published=dt.date(2023, 10, 2),
    )
    never = Classifier(STATUS_NAMES, tuple(0.0 for _ in STATUS_NAMES), -5.0)
    always = Classifier(STATUS_NAMES, tuple(0.0 for _ in STATUS_NAMES), 5.0)
    (d,) = draft_article(article, evaluation, status_model=StatusModel(always, never))
    assert d.record["status"] == "confirmed"
    (d,) = draft_article(article, evaluation, status_model=StatusModel(never, always))
    assert d.record["status"] == "claimed"
    (d,) = draft_article(article, evaluation, status_model=StatusModel(never, never))
    assert (d.record["status"], d.evidence["status"]) == ("reported", article.text)


@pytest.mark.parametrize("folder", sorted(p.parent.name for p in ARTICLES.glob("*/key.yaml")))
def test_every_evidence_quote_of_a_keyed_set_is_in_its_article(folder):
    """A set with a key of its own quotes its articles word for word (whitespace aside), so
    that a reader of the key can find each incident in its article."""
    entries = yaml.safe_load((ARTICLES / folder / "key.yaml").read_text("utf-8"))
    missing = []
    for entry in entries:
        name = str(entry["article"]).removeprefix(f"{folder}/")
        text = " ".join((ARTICLES / folder / name).read_text("utf-8").split())
        for incident in entry.get("incidents") or []:
            quote = " ".join(str(incident.get("evidence", "")).split())
            if quote not in text:
                missing.append(f"{folder}/{name}: {quote[:60]}")
    assert not missing
