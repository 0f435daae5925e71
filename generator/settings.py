"""The site's settings the generator needs, read from mkdocs.yml (the one place they live).

``site_url`` makes permalinks and the feed absolute; ``repo_url`` with ``edit_uri`` (or
``extra.tracker.data_edit_uri``) makes the "edit this record" links.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from mkdocs.utils.yaml import yaml_load

from generator.errors import GeneratorError
from generator.project import Project

# How the site changes shape as the data grows (mkdocs.yml: extra.tracker.<name>).
LIMITS = {
    # A page per incident up to this many; above, incidents are entries on their month
    # pages and /incidents/<id>/ redirects there (a page costs ~30 KB; Pages allows 1 GB).
    "incident_pages_up_to": 20_000,
    # The search index holds summaries up to this many incidents, titles only above it:
    # every visitor's browser downloads the whole index.
    "search_summaries_up_to": 2_000,
    # The incidents table is one page up to this many rows; above, a page per year.
    "incidents_table_up_to": 10_000,
}


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str | None  # absolute, ending in "/"; None when not set
    repo_url: str | None
    data_edit_uri: str | None  # relative to repo_url, e.g. "edit/main/"
    limits: dict[str, int] = field(default_factory=lambda: dict(LIMITS))

    @classmethod
    def read(cls, project: Project) -> Settings:
        path = project.config_file
        try:
            with path.open(encoding="utf-8") as f:
                config: dict[str, object] = yaml_load(f) or {}
        except OSError as e:
            raise GeneratorError(f"{project.display(path)}: cannot be read: {e.strerror}") from None
        except yaml.YAMLError as e:
            raise GeneratorError(f"{project.display(path)}: is not valid YAML: {e}") from None
        site_url = _with_slash(config.get("site_url"))
        repo_url = _with_slash(config.get("repo_url"))
        extra = _mapping(_mapping(config.get("extra")).get("tracker"))
        data_edit_uri = _text(extra.get("data_edit_uri")) or _data_edit_uri(config.get("edit_uri"))
        limits = dict(LIMITS)
        for name in LIMITS:
            value = extra.get(name, LIMITS[name])
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise GeneratorError(
                    f"{project.display(path)}: extra.tracker.{name} must be a "
                    f"whole number, 0 or more (got {value!r})"
                )
            limits[name] = value
        return cls(str(config.get("site_name", "")), site_url, repo_url, data_edit_uri, limits)

    def permalink(self, url: str) -> str:
        """A site-root-relative URL made absolute when site_url is known."""
        return (self.site_url or "/") + url

    def edit_link(self, path: str) -> str | None:
        """Where to edit a file of the repository (e.g. data/incidents/2022/x.yaml) online."""
        if not self.repo_url or not self.data_edit_uri:
            return None
        return self.repo_url + _slash(self.data_edit_uri).lstrip("/") + path

    def history_link(self, path: str) -> str | None:
        """The file's change history on GitHub-like hosts (edit/<branch>/ -> commits/<branch>/)."""
        edit = self.data_edit_uri or ""
        if not self.repo_url or not edit.startswith("edit/"):
            return None
        return self.repo_url + "commits/" + _slash(edit.removeprefix("edit/")) + path


def _text(value: object) -> str | None:
    return str(value) if value else None


def _mapping(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _slash(url: str) -> str:
    return url if url.endswith("/") else f"{url}/"


def _with_slash(url: object) -> str | None:
    if not url:
        return None
    return str(url) if str(url).endswith("/") else f"{url}/"


def _data_edit_uri(edit_uri: object) -> str | None:
    """MkDocs' edit_uri points at docs/ ('edit/main/docs/'); data files sit beside it."""
    if not edit_uri:
        return None
    uri = str(edit_uri).rstrip("/")
    return uri.removesuffix("/docs") + "/" if uri.endswith("/docs") else None
