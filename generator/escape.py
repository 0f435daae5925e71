"""One escaper per output language. Text from the data reaches eight of them, each with its
own syntax to neutralise; every function here is named for the language it writes.

- ``html``: Jinja2's autoescape (MarkupSafe) everywhere in the generated pages;
- ``markdown``: inline text that Python-Markdown (MkDocs) will read, e.g. a heading;
- ``gfm`` / ``gfm_code``: text in GitHub-flavoured Markdown (the pull request's job
  summary), where entities, bare URLs and @mentions come alive too;
- ``plotly``: a chart label, which Plotly renders as a small HTML subset;
- ``yaml_text``: a value in a page's front matter (its description), which MkDocs reads as
  YAML (the hook then escapes it for the HTML where the theme puts it);
- ``bibtex``: a brace-delimited BibTeX field;
- ``csv_cell``: a spreadsheet cell, which must not start a formula;
- ``workflow_message`` / ``workflow_property``: GitHub Actions workflow commands.
"""

from __future__ import annotations

import html as _html
import json
import re

from markupsafe import Markup, escape

from generator.text import clean

html = escape

# Characters Python-Markdown (with the tables extension) treats as syntax and accepts a
# backslash before. '<', '>' and '&' become HTML entities instead.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown(text: object) -> Markup:
    """Inline text for Python-Markdown (a heading, a link text): shown exactly as written."""
    flat = " ".join(str(text).split())
    return Markup(escape(_MARKDOWN.sub(r"\\\1", flat)))


def plotly(text: str) -> str:
    """A Plotly label: Plotly renders <b>, <br>, <a href> and entities, so escape them."""
    return _html.escape(text, quote=False)


def yaml_text(text: object, limit: int = 0) -> Markup:
    """A one-line YAML string (double-quoted, JSON style) of the text, cut at a word to at
    most ``limit`` characters if given. Control and invisible characters are dropped (YAML
    refuses some and folds others)."""
    flat = clean(str(text))
    if limit and len(flat) > limit:
        flat = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
    return Markup(json.dumps(flat, ensure_ascii=False))


# GitHub-flavoured Markdown: a backslash makes its inline syntax characters literal; '&' is
# written as an entity so that '&#8238;' in the data stays those characters, never decoded.
_GFM = re.compile(r"([\\`*_\[\]<>|~])")
# What GitHub turns into links and notifications after rendering: bare web addresses and
# @mentions. A zero-width space (as an entity) after '@', in '://' and in 'www.' stops it,
# as Renovate does for the same reason.
_ZWSP = "&#8203;"


def gfm(text: object) -> Markup:
    """Text from the data, inert in GitHub-flavoured Markdown (one line). Markup (from
    ``gfm_code`` or a template) passes through as it is."""
    if isinstance(text, Markup):
        return text
    flat = " ".join(str(text).split())
    out = _GFM.sub(r"\\\1", flat.replace("&", "&amp;"))
    out = out.replace("@", "@" + _ZWSP)
    out = out.replace("://", ":" + _ZWSP + "//")
    out = re.sub(r"(?i)\bwww\.", lambda m: m.group()[:3] + _ZWSP + ".", out)
    return Markup(out)


def gfm_code(text: object) -> Markup:
    """An id, path, ref or URL as an inline code span: nothing in it is ever interpreted."""
    flat = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return Markup(f"{fence}{pad}{flat}{pad}{fence}")


# BibTeX counts braces even after a backslash (\} does not close, yet still counts), so
# braces and backslashes become LaTeX commands inside their own balanced group.
_BIBTEX = {
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "\\": r"{\textbackslash}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"{\textasciicircum}",
    "~": r"{\textasciitilde}",
}
_BIBTEX_RE = re.compile("[" + re.escape("".join(_BIBTEX)) + "]")


def bibtex(text: object) -> str:
    """Text for a brace-delimited BibTeX field: braces always balance, specials are LaTeX."""
    flat = " ".join(str(text).split())
    return _BIBTEX_RE.sub(lambda m: _BIBTEX[m.group()], flat)


# Spreadsheets run a cell that starts with one of these as a formula, full-width forms
# included (LibreOffice and Excel in East Asian locales read '＝' as '='); some read each
# line of a cell, and skip white space before the formula. The Data page says the rule in
# words from these names (templates/data.md.j2), so the words cannot drift from the code.
FORMULA_FIRST = ("=", "+", "-", "@")
FORMULA_FIRST_FULL_WIDTH = ("＝", "＋", "－", "＠")
FORMULA_LEADS = {"\t": "a tab", "\r": "a carriage return"}  # a cell starting with one
_FORMULA_START = FORMULA_FIRST + FORMULA_FIRST_FULL_WIDTH
_LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def csv_cell(value: object) -> object:
    """Empty for unknown; text a spreadsheet could run as a formula gets a leading "'": a
    cell that starts with a tab or carriage return, or in any of whose lines the first
    character that is not white space starts a formula. Numbers stay numbers. The site's
    script for downloads of filtered tables (downloads.js) follows the same rule."""
    if value is None:
        return ""
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value
    return value


def runs_as_formula(text: str) -> bool:
    if text.startswith(tuple(FORMULA_LEADS)):
        return True
    return any(line.lstrip().startswith(_FORMULA_START) for line in _LINE_BREAKS.split(text))


def workflow_message(text: str) -> str:
    """The message of a GitHub Actions workflow command (``::error …::<message>``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a workflow command (``file=…,line=…``): also ':' and ','."""
    return workflow_message(text).replace(":", "%3A").replace(",", "%2C")
