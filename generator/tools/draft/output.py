"""Output: drafts as YAML for a person to review or as JSON, and drafts read back for `make new`."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from generator.tools import records
from generator.tools.draft.fields import Draft
from generator.tools.draft.reading import Article, DraftError


def as_json(drafted: list[tuple[Article, list[Draft]]]) -> str:
    """A JSON array: per draft, the record's fields as in the schema, ``evidence`` (field ->
    sentence), and ``background: true`` or ``duplicate_of: <id>`` where they apply."""
    out = []
    for _article, drafts in drafted:
        for d in drafts:
            item: dict[str, Any] = {"article": d.article}
            fields = _jsonable(records.ordered(dict(d.record)))
            item.update({"date": None} if "date" not in fields else {})  # needs a date
            item.update(fields)
            item.setdefault("summary", None)
            item["evidence"] = d.evidence
            if d.background:
                item["background"] = True
            if d.aggregate is not None:
                item["tally"] = d.aggregate
            if d.duplicate_of:
                item["duplicate_of"] = d.duplicate_of
                item["adds"] = _jsonable(d.adds)
            if d.needs:
                item["needs"] = d.needs
            out.append(item)
    text = json.dumps(out, indent=2, ensure_ascii=False)
    return _JSON_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# Characters some readers take for a line break (NEL, U+2028, U+2029) or that control a terminal:
# json.dumps leaves them in strings as they are; written as \u escapes they mean the same.
_JSON_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029]")
# Every line break and control character but the tab: in YAML a comment or value holding one
# could start a line of its own, a record's line hidden behind a comment.
_BREAKS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def escape_breaks(text: str) -> str:
    """Text kept on its line for YAML: each line break or control character (LF, CR, VT, FF,
    NEL, U+2028, U+2029, …) written as its visible escape, ``\\u2028``."""
    return _BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape_breaks(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def as_yaml(drafted: list[tuple[Article, list[Draft]]]) -> str:
    """YAML documents for a person to review: per draft, its evidence as comments and its
    record as the incident-file writer writes it (so it reads like a record file)."""
    parts = []
    for article, drafts in drafted:
        new = sum(d.is_new for d in drafts)
        again = sum(d.duplicate_of is not None and not d.background for d in drafts)
        back = sum(d.background for d in drafts)
        about = ", ".join(
            x
            for x in (
                article.publisher,
                f'"{article.title}"' if article.title else None,
                _published(article),
            )
            if x
        )
        head = [
            escape_breaks(f"# Drafts from {article.name}" + (f" ({about})" if about else "")),
            f"# {new} new, {again} already recorded, {back} background. Check every field "
            "against the article;",
            "# the summary is yours to write, in your own words: "
            "`make new FROM=FILE DRAFT=N` asks for it.",
        ]
        parts.append("\n".join(head) + "\n")
        for n, d in enumerate(drafts, 1):
            parts.append(_yaml_doc(n, len(drafts), d))
    return "---\n".join(parts)


def _published(article: Article) -> str | None:
    if article.published is None:
        return "no publication date found"
    return f"published {article.published.isoformat()}"


def _yaml_doc(n: int, total: int, d: Draft) -> str:
    lines = [f"# Draft {n} of {total}: {d.headline}"]
    if d.duplicate_of:
        lines.append("# Not a new record: add what the article adds to that file, by hand.")
    for need in d.needs:
        lines += _comment(f"needs {need}")
    lines.append("# Evidence (the article's words, to check against; never copy them):")
    by_sentence: dict[str, list[str]] = {}
    for key, sentence in d.evidence.items():
        by_sentence.setdefault(sentence, []).append(key)
    for sentence, keys in by_sentence.items():
        lines += _comment(f"{', '.join(keys)}: “{sentence}”", indent="#   ", more="#       ")
    body: dict[str, Any]
    if d.duplicate_of:
        body = {"duplicate_of": d.duplicate_of, "adds": d.adds or {}}
        if not d.adds:
            body = {"duplicate_of": d.duplicate_of}
            lines.append("# The article adds nothing the record does not have.")
        if d.background:
            body["background"] = True
    else:
        body = records.ordered(dict(d.record))
        if d.background:
            body = {"background": True, **body}
            if d.aggregate is not None:
                body["tally"] = d.aggregate
        else:
            lines.append("# summary: yours to write (make new FROM=this-file asks for it)")
    return records.incident_file(_escaped(body), "\n".join(lines)).decode("utf-8")


def _comment(text: str, indent: str = "# ", more: str = "#   ") -> list[str]:
    import textwrap

    return textwrap.wrap(
        escape_breaks(text),
        records.WRAP,
        initial_indent=indent,
        subsequent_indent=more,
        break_long_words=False,
        break_on_hyphens=False,
    )


def load_drafts(path: Path) -> list[dict[str, Any]]:
    """The drafts of a file ``draft`` wrote: YAML documents, or a JSON array (or object)."""
    try:
        text = path.read_text("utf-8")
    except OSError as e:
        raise DraftError(f"{path}: cannot be read ({e.strerror})") from None
    try:
        if text.lstrip().startswith(("[", "{")):
            loaded = json.loads(text)
            items = loaded if isinstance(loaded, list) else [loaded]
        else:
            items = [d for d in yaml.safe_load_all(text) if d is not None]
    except (ValueError, yaml.YAMLError) as e:
        raise DraftError(f"{path}: not a draft file ({e})") from None
    if not all(isinstance(d, dict) for d in items):
        raise DraftError(f"{path}: not a draft file: each draft is a mapping of fields")
    return items


def pick_draft(drafts: list[dict[str, Any]], number: int | None, shown: str) -> dict[str, Any]:
    """The draft to start from: the one numbered, or the only new one."""
    if number is not None:
        if not 1 <= number <= len(drafts):
            raise DraftError(f"{shown} has {len(drafts)} drafts; --draft takes 1 to {len(drafts)}")
        chosen = drafts[number - 1]
    else:
        new = [d for d in drafts if not d.get("background") and not d.get("duplicate_of")]
        if len(new) != 1:
            listing = "; ".join(f"{n}: {_label(d)}" for n, d in enumerate(drafts, 1))
            raise DraftError(
                f"{shown} holds {len(new)} new drafts; choose one with --draft N ({listing})"
            )
        chosen = new[0]
    if chosen.get("duplicate_of"):
        raise DraftError(
            f"that draft is already recorded as {chosen['duplicate_of']}: add the "
            "article to that record instead of writing a new one"
        )
    return {k: v for k, v in chosen.items() if k not in DRAFT_ONLY}


DRAFT_ONLY = ("article", "evidence", "background", "duplicate_of", "adds", "needs", "tally")


def _label(d: dict[str, Any]) -> str:
    what = (
        "background"
        if d.get("background")
        else (f"already recorded as {d['duplicate_of']}" if d.get("duplicate_of") else "new")
    )
    place = d.get("base") or d.get("location") or d.get("country") or "?"
    return f"{what} {d.get('kind', '?')} {d.get('date', '?')} {place}"
