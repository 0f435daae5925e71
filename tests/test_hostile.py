"""Hostile input: no script from the data reaches the site, and nothing the author wrote is lost.

Every case is text a contributor could put in a pull request. A case is either refused by
the validator with an exact message, or built into a real site where its page must show the
text exactly as written, the HTML must hold no executable markup from it, and Chromium must
load every page without a dialog opening or the marker variable being set.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import GOOD, BuiltSite, charts_on, copy_project, problems, write_incident

from generator.pages import EMBED_SCRIPT
from generator.project import Project

X = "window.__xss=1"  # every payload tries to set this, or to open a dialog


@dataclass(frozen=True)
class Case:
    group: str
    field: str  # where the text goes: an incident field, "source.…" or "base.…"
    text: str

    @property
    def id(self) -> str:
        return f"{self.group}:{self.field}:{self.text[:40]}"


VALID = [
    # Raw HTML in any field
    Case("html", "summary", f"<script>{X}</script> was in the statement"),
    Case("html", "title", f'<img src=x onerror="{X}"> rocket attack'),
    Case("html", "location", f"<svg onload={X}> launch site"),
    Case("html", "perpetrator", f'<iframe src="javascript:{X}"></iframe>'),
    Case("html", "damage", f"<!-- a comment --><script>{X}</script><!-- -->"),
    Case("html", "notes", f"&lt;script&gt;{X}&lt;/script&gt; (entities that decode to tags)"),
    Case("html", "source.title", f"&#60;img src=x onerror={X}&#62; numeric entities"),
    Case("html", "source.publisher", f'<a href="javascript:{X}">Publisher</a>'),
    Case("html", "damage", "<style>body{display:none}</style>Syria"),
    Case("html", "base.name", f"<details open ontoggle={X}>Base"),
    Case("html", "base.description", f"<body onload={X}> a base"),
    Case("html", "base.alias", f"<math><mtext><table><mglyph><style><img src=x onerror={X}>"),
    Case("html", "summary", f"</textarea></title></style><script>{X}</script>"),
    Case("html", "title", f'"><script>{X}</script>'),
    Case("html", "location", f"'><svg/onload={X}>"),
    Case("html", "notes", f"<input autofocus onfocus={X}>"),
    Case("html", "damage", f'<meta http-equiv="refresh" content="0;url=javascript:{X}">'),
    Case("html", "perpetrator", '<base href="javascript:/">'),
    Case("html", "summary", f'<object data="javascript:{X}"></object>'),
    Case("html", "summary", f'<embed src="data:text/html,<script>{X}</script>">'),
    # Markdown links and images with script URLs
    Case("md-link", "summary", f"[click](javascript:{X})"),
    Case("md-link", "title", f"[click](JaVaScRiPt:{X})"),
    Case("md-link", "location", f"![x](javascript:{X})"),
    Case(
        "md-link",
        "notes",
        "[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    ),
    Case("md-link", "damage", "[x](vbscript:msgbox(1))"),
    Case("md-link", "title", f"[x](java&#x09;script:{X})"),
    Case("md-link", "summary", f"[x]( javascript:{X} )"),
    Case("md-link", "perpetrator", f"<javascript:{X}>"),
    Case("md-link", "summary", f"[x][ref]\n\n[ref]: javascript:{X}"),
    Case("md-link", "summary", f'[x](http://a "title" onmouseover="{X}")'),
    # Markdown extension syntax (attr_list, md_in_html, abbr, footnotes, admonitions, …)
    Case("extension", "summary", f'Rockets\n{{: onmouseover="{X}" }}'),
    Case("extension", "title", f'Rocket attack {{: onclick="{X}" }}'),
    Case("extension", "title", f"Attack {{#x onmouseover={X}}}"),
    Case("extension", "summary", f'<div markdown="1">[x](javascript:{X})</div>'),
    Case("extension", "notes", f"*[HTML]: <img src=x onerror={X}>"),
    Case("extension", "summary", f"See[^1]\n\n[^1]: <script>{X}</script>"),
    Case("extension", "summary", f'!!! danger "<img src=x onerror={X}>"\n    body'),
    Case("extension", "base.name", f'Base {{: onclick="{X}"}}'),
    Case("extension", "location", f"| <script>{X}</script> |"),
    Case("extension", "summary", f"# Heading <script>{X}</script>\n\n---\n\n* list"),
    # Text that breaks out of its context
    Case("breakout", "title", f"Line one\n# <img src=x onerror={X}>"),
    Case("breakout", "title", f"---\ntitle: <script>{X}</script>\n---"),
    Case(
        "breakout",
        "summary",
        "{{ self.__init__.__globals__ }} {% for x in range(3) %}X{% endfor %}",
    ),
    Case("breakout", "title", "{{ 7*7 }} {% raw %}"),
    Case("breakout", "base.name", f'<b>B</b><a href="javascript:{X}">x</a><br>Plotly'),
    Case("breakout", "base.name", f"</script><script>{X}</script> json"),
    Case("breakout", "source.url", f'https://example.com/"onmouseover="{X}'),
    Case("breakout", "source.url", "https://example.com/<script>?a=1&b=<2>"),
    Case("breakout", "summary", "A literal <script> in a quoted statement stays readable."),
    Case("breakout", "perpetrator", 'Tom & Jerry\'s "group" <unknown>'),
    # ... and the markers of the build hook (generator/hooks.py), which puts HTML back
    Case(
        "breakout", "summary", f"Before\n\n<!--html-blocks-->\n<!--html 0-->\n<script>{X}</script>"
    ),
    Case("breakout", "notes", f"<!--html 0--> <!--html 99--> <img src=x onerror={X}>"),
]

SCHEME = "must be a web address starting with http:// or https://"
CHARS = "must not contain spaces, backslashes or control characters"
SLUG = "must be lower-case letters and digits joined by single hyphens, like 'green-village'"
BIDI = (
    "contains the invisible direction control U+{}, which can make text display in a "
    "different order than it is written; delete it"
)
NUL = (
    "contains the invisible control character U+0000; delete it (it often comes from "
    "copying out of a PDF or a spreadsheet)"
)

INVALID = [  # (field, value, message); the value is written as a JSON (YAML) string
    ("source.url", "javascript:alert(1)", SCHEME),
    ("source.url", "JAVASCRIPT:alert(1)", SCHEME),
    ("source.url", " javascript:alert(1)", SCHEME),
    ("source.url", "java\tscript:alert(1)", SCHEME),
    ("source.url", "jav&#x61;script:alert(1)", SCHEME),
    ("source.url", "data:text/html;base64,PHNjcmlwdD4=", SCHEME),
    ("source.url", "vbscript:msgbox(1)", SCHEME),
    ("source.url", "//evil.example/x", SCHEME),
    ("source.url", "https:\\\\evil.example", SCHEME),
    ("source.url", "https://example.com/\u202egnp.exe", CHARS),
    ("source.archive_url", "javascript:alert(1)", SCHEME),
    ("summary", "nul \u0000 byte", NUL),
    ("title", "\u202eevil", BIDI.format("202E")),
    ("summary", "text \u2066isolated\u2069", BIDI.format("2066")),
    ("title", "x" * 501, "is too long (501 characters; the limit is 500)"),
    ("id", "../../../etc/passwd", f"'../../../etc/passwd' {SLUG}"),
    ("id", "a/b", f"'a/b' {SLUG}"),
    # Names that would look like another name: invisible format characters, mixed alphabets
    (
        "title",
        "Green Village\u200b",
        "contains the invisible character U+200B (ZERO WIDTH "
        "SPACE); delete it: it makes the text look like another that is spelt differently",
    ),
    (
        "location",
        "Mar\u2060a",
        "contains the invisible character U+2060 (WORD JOINER); delete "
        "it: it makes the text look like another that is spelt differently",
    ),
    (
        "perpetrator",
        "Iran-backed gr\u043eups",
        "mixes Latin and Cyrillic letters in "
        "'gr\u043eups' ('\u043e' is Cyrillic); retype it in one alphabet",
    ),
    ("id", "index", "'index' cannot be an id: a page of the site has that name; choose another"),
]


# --- refused input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, message", INVALID, ids=[f"{f}:{v[:30]!r}" for f, v, _ in INVALID]
)
def test_hostile_input_is_refused_with_a_clear_message(empty_project, field, value, message):
    quoted = json.dumps(value)
    path = "data/incidents/2022/2022-08-15-green-village-rockets.yaml"
    if field.startswith("source."):
        key = field.split(".")[1]
        text = GOOD.replace("    url: https://example.com/a", f"    {key}: {quoted}")
        where = f"{path}:11:{len(key) + 7}: sources[0].{key}"
    elif field == "id":
        text = GOOD.replace("id: 2022-08-15-green-village-rockets", f"id: {quoted}")
        where = f"{path}:1:5: id"
    else:
        text = GOOD + f"{field}: {quoted}\n"
        where = f"{path}:12:{len(field) + 3}: {field}"
        if field == "summary":
            text = (
                GOOD.replace("summary: Rockets were fired at the base.\n", "")
                + f"summary: {quoted}\n"
            )
            where = f"{path}:11:10: summary"
    write_incident(empty_project, text, name="2022/2022-08-15-green-village-rockets.yaml")
    assert problems(empty_project) == [f"{where}: {message}"]


# --- accepted input: built into a real site ------------------------------------------------


def _case_incident(n: int, case: Case) -> tuple[str, dict]:
    incident_id = f"2022-08-15-hostile-{n:02d}"
    record = yaml.safe_load(GOOD)
    record["id"] = incident_id
    source = record["sources"][0]
    if case.field.startswith("source."):
        source[case.field.split(".")[1]] = case.text
    elif case.field.startswith("base."):
        record["base"] = f"hostile-{n:02d}"
    else:
        record[case.field] = case.text
    if case.field == "location":
        record.update(kind="strike", weapon="airstrike")
        del record["base"]
    return incident_id, record


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> BuiltSite:
    """The sample bases and one record (or base) per hostile text, built once."""
    return BuiltSite.shared("hostile", tmp_path_factory, _hostile_project)


def _hostile_project(folder: Path) -> Project:
    project = copy_project(folder / "project", data=False)
    bases = yaml.safe_load(project.bases_file.read_text())
    for n, case in enumerate(VALID):
        incident_id, record = _case_incident(n, case)
        if case.field.startswith("base."):
            base = {"id": f"hostile-{n:02d}", "name": f"Hostile base {n}", "country": "Iraq"}
            key = case.field.split(".")[1]
            if key == "alias":
                base["aliases"] = [case.text]
            else:
                base[key] = case.text
            bases.append(base)
        path = project.incidents_dir / "2022" / f"{incident_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    project.bases_file.write_text(yaml.safe_dump(bases, allow_unicode=True, sort_keys=False))
    assert problems(project) == []
    return project


class _Page(HTMLParser):
    """The visible text of a page, and every element with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style", "title"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        elif not self._in or self._in[-1] == "title":
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text("utf-8"))
    return parser


def page_for(case: Case, n: int) -> str:
    if case.field.startswith("base."):
        return f"bases/hostile-{n:02d}/index.html"
    return f"incidents/2022-08-15-hostile-{n:02d}/index.html"


@pytest.mark.slow
@pytest.mark.parametrize("n, case", list(enumerate(VALID)), ids=[c.id for c in VALID])
def test_hostile_text_is_shown_exactly_as_written(hostile_site, n, case):
    page = parse(hostile_site.site / page_for(case, n))
    if case.field == "source.url":
        hrefs = [a.get("href") for tag, a in page.elements if tag == "a"]
        assert case.text in hrefs
    else:
        assert " ".join(case.text.split()) in page.visible
    if case.field == "summary":  # summaries also show on the month page
        month = parse(hostile_site.site / "months" / "2022-08" / "index.html")
        assert " ".join(case.text.split()) in month.visible


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"}
NEVER_ON_THIS_SITE = {
    "iframe",
    "object",
    "embed",
    "base",
    "frame",
    "frameset",
    "applet",
    "img",
    "video",
    "audio",
    "math",
    "textarea",
    "mglyph",
}


@pytest.mark.slow
def test_no_page_holds_executable_markup_from_the_data(hostile_site):
    found = []
    for html in sorted(hostile_site.site.rglob("*.html")):
        rel = html.relative_to(hostile_site.site).as_posix()
        page = parse(html)
        for tag, attrs in page.elements:
            if tag in NEVER_ON_THIS_SITE:
                found.append(f"{rel}: <{tag}>")
            if tag == "meta" and "http-equiv" in attrs:
                found.append(f"{rel}: <meta http-equiv>")
            for name, value in attrs.items():
                if name.startswith("on"):
                    found.append(f"{rel}: <{tag} {name}>")
                scheme = re.sub(r"[\s\x00-\x1f]", "", (value or "")).lower().split(":")[0]
                if name in URL_ATTRIBUTES and scheme in ("javascript", "data", "vbscript"):
                    found.append(f"{rel}: <{tag} {name}={value!r}>")
        found += [f"{rel}: script with {X}" for s in page.scripts if "__xss" in s]
    assert found == []


@pytest.mark.slow
def test_search_index_and_chart_data_hold_the_text_escaped(hostile_site):
    index = (hostile_site.site / "search" / "search_index.json").read_text()
    assert "<script>window.__xss" not in json.loads(json.dumps(index))
    for chart in (hostile_site.site / "charts").glob("*.json"):
        text = chart.read_text()
        assert "<script>" not in text and "<a href" not in text, chart.name


@pytest.mark.slow
@pytest.mark.browser
def test_no_page_runs_script_from_the_data_in_chromium(hostile_site, page):
    url = hostile_site.url
    for path in hostile_site.pages():
        page.goto(url + path, wait_until="load")
        if count := page.locator(".chart").count():
            charts_on(page, count)
        assert page.evaluate("typeof window.__xss") == "undefined", path
    # Search renders stored text into the page: look for the hostile words.
    page.goto(url)
    search = page.locator(".md-search__input")
    search.click()  # Material starts its search worker on focus, then reads keystrokes
    page.keyboard.type("statement")
    page.wait_for_selector(".md-search-result__item")
    search.fill("")
    page.keyboard.type("onerror script")
    # Rendered: a result shows the hostile words (as text, if the escaping holds).
    page.wait_for_function(
        "[...document.querySelectorAll('.md-search-result__item')]"
        ".some(e => /onerror/i.test(e.textContent))"
    )
    assert page.evaluate("typeof window.__xss") == "undefined", "search"
    assert page.dialogs == []


@pytest.mark.slow
@pytest.mark.browser
def test_chart_labels_show_names_as_written(hostile_site, page):
    names = [c.text for c in VALID if c.field == "base.name"]
    url = hostile_site.url
    page.goto(url + "bases/")
    charts_on(page, 1)
    labels = page.locator(".chart .ytick text").all_text_contents()
    links = page.locator(".chart a").count()
    for name in names:
        assert " ".join(name.split()) in labels
    assert links == 0
    assert page.dialogs == []


# --- embed pages and embed code: the main charts, for other sites -----------------------------

BASE_NAMES = [(n, c.text) for n, c in enumerate(VALID) if c.field == "base.name"]


@pytest.mark.slow
def test_every_main_chart_has_an_embed_page_that_shows_names_as_written(hostile_site):
    embedded = {p.parent.name for p in (hostile_site.site / "embed").glob("*/index.html")}
    assert embedded == {c.id for c in hostile_site.generated.charts.main()}
    for n, name in BASE_NAMES:
        page = parse(hostile_site.site / "embed" / f"base-hostile-{n:02d}" / "index.html")
        assert f"Attacks on {' '.join(name.split())} per month" in page.visible
        assert [s for s in page.scripts if s.strip()] == []  # scripts by address only
        sources = [a["src"] for tag, a in page.elements if tag == "script"]
        assert sources == [
            "../../assets/javascripts/embed.js",
            "../../assets/javascripts/charts.js",
        ]


@pytest.mark.slow
@pytest.mark.parametrize("n, name", BASE_NAMES)
def test_embed_code_holds_names_as_text(hostile_site, n, name):
    """The code other sites paste: one iframe, whose title is the chart's title as written,
    escaped, so that a name cannot add markup to the page it is pasted into, and the fixed
    script that fits the iframe's height, the same whatever the data says."""
    page = parse(hostile_site.site / "bases" / f"hostile-{n:02d}" / "index.html")
    (code,) = [a["data-embed-code"] for tag, a in page.elements if a.get("data-embed-code")]
    pasted = _Page()
    pasted.feed(code)
    assert [tag for tag, _ in pasted.elements] == ["iframe", "script"]
    attributes = pasted.elements[0][1]
    assert sorted(attributes) == [
        "data-tracker-embed",
        "height",
        "loading",
        "src",
        "style",
        "title",
        "width",
    ]
    assert attributes["title"] == f"Attacks on {name} per month"
    assert attributes["src"] == f"{hostile_site.url}embed/base-hostile-{n:02d}/"
    assert attributes["data-tracker-embed"] == f"base-hostile-{n:02d}"
    assert pasted.elements[1][1] == {} and pasted.scripts == [EMBED_SCRIPT]


@pytest.mark.slow
@pytest.mark.browser
def test_the_embed_button_shows_the_code_as_text_in_chromium(hostile_site, page):
    url = hostile_site.url
    for n, name in BASE_NAMES:
        page.goto(url + f"bases/hostile-{n:02d}/")
        charts_on(page, 1)
        page.locator(".chart-embed-button").click()
        code = page.locator(".chart-embed__code").input_value()
        assert code.startswith(f'<iframe src="{url}embed/base-hostile-{n:02d}/" title="')
        assert "<script" not in code.split('title="')[1].split('"')[0]
        page.goto(url + f"embed/base-hostile-{n:02d}/")
        charts_on(page, 1)
        assert page.locator("h1").inner_text() == f"Attacks on {' '.join(name.split())} per month"
        assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == []
