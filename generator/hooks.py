"""MkDocs hook (see ``hooks:`` in mkdocs.yml): put back the HTML blocks of generated pages,
and clean the HTML of hand-written ones.

Generated pages are HTML tables and lists in a thin Markdown skeleton. Python-Markdown
would parse all of that HTML again only to pass it through unchanged, and that was most of
the build time (2.8 ms of a 6 ms page). So the generator writes each HTML block once, after
a line ``<!--html-blocks-->``, and leaves ``<!--html N-->`` where it goes; this hook hands
Markdown the skeleton alone and puts the blocks back into the HTML it makes.

Text from the data cannot forge either marker: every ``<`` in it is escaped.

Hand-written pages (docs/about.md and any other page outside the generated paths) are
trusted for their words, not their markup: a pull request can append
``<img src=x onerror=…>`` or ``{: onclick=…}`` to one. Their HTML is cleaned with nh3 (the
ammonia sanitizer): no script, no event handler, no ``javascript:`` address, no style or
form, whatever the Markdown said. Which pages are generated is decided by their path
(below), never by anything a page contains.

The site's settings that the theme prints without escaping (the site's name, from the
dataset's title, in ``aria-label="…"`` on every page; the description; the copyright line)
must be plain text: a build whose settings hold markup stops here.

Front matter is cleaned too, on every page: the theme writes ``title`` and ``description``
into the HTML as they are, so they are escaped here, and a hand-written page keeps only the
settings a page may choose (what to hide, whether search skips it), never a template.

A site built without its address (no SITE_URL, CNAME or GitHub remote) gets an empty
sitemap (a sitemap must give absolute addresses, and MkDocs would write each page's path
instead; Material still asks for the file) and no instant navigation, which Material bases
on the sitemap (its documentation: "you must set site_url when using instant navigation"):
pages then load as plain pages.

Loaded by MkDocs (and ProperDocs) from this file; it imports nothing from the generator.
The generator writes the format with ``set_aside``, here too: one home for the markers.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import MutableMapping
from pathlib import Path

import nh3
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

# Paths under docs/ that belong to the generator: rewritten on every build (anything else a
# commit puts there is deleted), never edited by hand, listed in .gitignore. Everything else
# in docs/ is hand-written. (generator/project.py reads them from here.)
GENERATED_FILES = (
    "index.md",
    "timeline.md",
    "map.md",
    "corrections.md",
    "coverage.md",
    "feed.xml",
    "corrections.xml",
)
GENERATED_DIRS = (
    "bases",
    "months",
    "years",
    "incidents",
    "actors",
    "charts",
    "embed",
    "data",
    "assets/vendor",
)

MARK = "<!--html-blocks-->"
_PLACEHOLDER = re.compile(r"<!--html (\d+)-->")
_BLOCK = re.compile(r"^<!--html (\d+)-->\n", re.M)
_blocks: dict[str, dict[int, str]] = {}  # page source path -> its blocks

# What a rendered template puts around each HTML block ({% call html() %}). The validator
# refuses both characters in the data, so text from a record can never open or close one.
BLOCK_START, BLOCK_END = "\x02", "\x03"
_RENDERED_BLOCK = re.compile(f"{BLOCK_START}(.*?){BLOCK_END}", re.S)


def set_aside(text: str) -> str:
    """A rendered page -> its Markdown skeleton, with the HTML blocks parked after ``MARK``
    and ``<!--html N-->`` where each goes (what ``split`` reads back)."""
    blocks: list[str] = []

    def keep(match: re.Match[str]) -> str:
        blocks.append(match.group(1).strip("\n"))
        return f"\n\n<!--html {len(blocks) - 1}-->\n\n"

    skeleton = _RENDERED_BLOCK.sub(keep, text)
    if not blocks:
        return text
    skeleton = re.sub(r"\n{3,}", "\n\n", skeleton).strip("\n") + "\n"
    parked = "".join(f"<!--html {n}-->\n{block}\n" for n, block in enumerate(blocks))
    return f"{skeleton}\n{MARK}\n{parked}"


def split(markdown: str) -> tuple[str, dict[int, str]]:
    """A generated page -> its Markdown skeleton and its HTML blocks by number."""
    skeleton, found, tail = markdown.partition(f"\n{MARK}\n")
    if not found:
        return markdown, {}
    parts = _BLOCK.split(tail)
    return skeleton, {int(parts[k]): parts[k + 1].rstrip("\n") for k in range(1, len(parts), 2)}


def join(html: str, blocks: dict[int, str]) -> str:
    """The HTML Markdown made of the skeleton, with the blocks back in place."""
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html) if blocks else html


def generated(src_uri: str) -> bool:
    """Whether a page (its path relative to docs/) is one the generator writes."""
    return src_uri in GENERATED_FILES or src_uri.startswith(tuple(d + "/" for d in GENERATED_DIRS))


# What hand-written pages may hold: the HTML Markdown and its extensions make (headings
# with permalinks, tables, admonitions, code, images), with classes for the theme.
_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "details": {"open"},
}


def clean(html: str) -> str:
    """Hand-written HTML with everything that could run script taken out."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        link_rel=None,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    )


# What a page's front matter may set: the sidebars and parts it hides, and search.
_HIDE = {"navigation", "toc", "footer", "path", "feedback", "tags"}


def clean_meta(meta: MutableMapping[str, object]) -> dict[str, object]:
    """Front matter the theme can show safely: title and description as escaped single
    lines, ``hide`` from the known parts, ``search: {exclude: true}``; nothing else."""
    out: dict[str, object] = {}
    for key in ("title", "description"):
        if isinstance(value := meta.get(key), str) and value.strip():
            out[key] = escape(" ".join(value.split()))
    if isinstance(hide := meta.get("hide"), list):
        out["hide"] = [h for h in hide if isinstance(h, str) and h in _HIDE]
    if isinstance(search := meta.get("search"), dict) and search.get("exclude") is True:
        out["search"] = {"exclude": True}
    return out


# What a setting printed into the theme's HTML may not hold: markup and control characters.
_NOT_PLAIN = re.compile('[<>"\x00-\x1f\x7f\u2028\u2029]')


def on_config(config: MkDocsConfig, **kwargs: object) -> MkDocsConfig:
    """Settings the theme prints must be plain text; without the site's address, no instant
    navigation (it needs the sitemap)."""
    for key in ("site_name", "site_description", "copyright"):
        value = config.get(key)
        if isinstance(value, str) and (m := _NOT_PLAIN.search(value)):
            raise PluginError(
                f"{key} contains {m.group()!r}, which the theme would print as markup on every "
                "page; the site's name is the dataset's title (dataset.yaml): make it plain text"
            )
    if not config.site_url:
        features = config.theme.get("features", [])
        config.theme["features"] = [f for f in features if f != "navigation.instant"]
    return config


def on_page_markdown(markdown: str, page: Page, **kwargs: object) -> str:
    page.meta = clean_meta(page.meta)
    if not generated(page.file.src_uri):
        return markdown
    skeleton, blocks = split(markdown)
    _blocks[page.file.src_uri] = blocks
    return skeleton


def on_page_content(html: str, page: Page, **kwargs: object) -> str:
    if not generated(page.file.src_uri):
        return clean(html)
    return join(html, _blocks.pop(page.file.src_uri, {}))


EMPTY_SITEMAP = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def on_post_build(config: MkDocsConfig, **kwargs: object) -> None:
    """Without the site's address the sitemap lists nothing: its entries must be absolute
    addresses, and a page's path is not one."""
    if not config.site_url:
        site = Path(config.site_dir)
        (site / "sitemap.xml").write_bytes(EMPTY_SITEMAP)
        (site / "sitemap.xml.gz").write_bytes(gzip.compress(EMPTY_SITEMAP, mtime=0))
