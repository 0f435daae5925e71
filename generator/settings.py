"""The site's settings the generator needs: what mkdocs.yml says (limits, where records are
edited), and where the site and its repository live.

``site_url`` makes permalinks, citations and the feeds absolute; ``repo_url`` with
``extra.tracker.data_edit_uri`` (or MkDocs' ``edit_uri``) makes the "edit this record"
links. Both addresses are worked out once, here, by ``Address.find``, from (first found
wins):

1. ``SITE_URL`` in the environment (or a ``site_url`` written into mkdocs.yml);
2. a ``CNAME`` file in docs/ (a custom domain: ``https://<domain>/``);
3. the git remote ``origin``, when it is a GitHub repository;
4. nothing: pages then link relatively, and say no address rather than a made-up one.

The repository is ``REPO_URL`` (or ``repo_url`` in mkdocs.yml), else GitHub's from the
remote. The generator hands both to MkDocs as ``SITE_URL`` and ``REPO_URL``
(``publish.builder_env``), so the pages, the feeds and MkDocs' own canonical links, sitemap
and repository link agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from mkdocs.utils.yaml import yaml_load

from generator import git
from generator.errors import GeneratorError
from generator.project import Project
from generator.text import printable

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


# What a GitHub remote looks like: https://github.com/OWNER/REPO(.git), git@github.com:…,
# ssh://git@github.com/…, git://github.com/… (credentials in the address are never kept).
_GITHUB_REMOTE = re.compile(
    r"(?:(?:https?|git|ssh)://(?:[^@/]*@)?github\.com(?::\d+)?/|git@github\.com:)"
    r"(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?"
)
_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
CNAME = "CNAME"  # in docs/: GitHub Pages' custom domain, published with the site


@dataclass(frozen=True)
class Address:
    """Where the site and its repository live, and what said so."""

    site_url: str | None  # absolute, ending in "/"; None when nothing says
    repo_url: str | None  # ending in "/"
    source: str  # how the site's address was found, for messages ("" when it was not)

    @classmethod
    def find(cls, project: Project, site_url: object, repo_url: object) -> Address:
        """``site_url`` and ``repo_url`` are what mkdocs.yml gives (its !ENV tags read
        SITE_URL and REPO_URL): set there, they win; else a CNAME, else the git remote."""
        site, source = _with_slash(site_url), "SITE_URL" if site_url else ""
        repo_address = _with_slash(repo_url)
        for name, given in (("SITE_URL", site), ("REPO_URL", repo_address)):
            if given is not None and not given.startswith(("https://", "http://")):
                raise GeneratorError(
                    f"{name} (or {name.lower()} in mkdocs.yml) is {printable(given)!r}: give "
                    "an address starting with https://"
                )
        remote = _github_remote(project)
        if site is None and (domain := _cname(project)) is not None:
            site, source = f"https://{domain}/", f"docs/{CNAME}"
        if site is None and remote is not None:
            owner, repo = remote
            pages = f"{owner.lower()}.github.io"
            site = f"https://{pages}/" if repo.lower() == pages else f"https://{pages}/{repo}/"
            source = "the git remote origin"
        if repo_address is None and remote is not None:
            repo_address = f"https://github.com/{remote[0]}/{remote[1]}/"
        return cls(site, repo_address, source)


def _cname(project: Project) -> str | None:
    """The custom domain in docs/CNAME (GitHub Pages' file), or None without one."""
    path = project.docs_dir / CNAME
    if not path.is_file() or path.is_symlink():
        return None
    try:
        lines = path.read_bytes()[:1024].decode("utf-8", "replace").split()
    except OSError as e:
        raise GeneratorError(f"docs/{CNAME}: cannot be read: {e.strerror}") from None
    if not lines:
        return None
    domain = lines[0].lower().rstrip(".")
    if len(lines) > 1 or not _DOMAIN.fullmatch(domain):
        raise GeneratorError(
            f"docs/{CNAME} holds {printable(' '.join(lines)[:80])!r}, not a domain name: write "
            "the site's domain alone on its first line, like data.example.org (or delete the "
            "file if the site has no domain of its own)"
        )
    return domain


def _github_remote(project: Project) -> tuple[str, str] | None:
    """(owner, repository) of the git remote origin, when it is on GitHub."""
    if not git.is_repository_root(project.root):
        return None  # a folder inside another repository is not that repository
    try:
        url = git.text(project.root, "remote", "get-url", "origin").strip()
    except git.GitError:
        return None
    found = _GITHUB_REMOTE.fullmatch(url)
    if found is None or found["repo"] in (".", ".."):
        return None
    return found["owner"], found["repo"]


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str | None  # absolute, ending in "/"; None when nothing says where
    repo_url: str | None
    data_edit_uri: str | None  # relative to repo_url, e.g. "edit/main/"
    limits: dict[str, int] = field(default_factory=lambda: dict(LIMITS))
    address_source: str = ""  # what gave site_url (Address.source)

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
        address = Address.find(project, config.get("site_url"), config.get("repo_url"))
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
        return cls(
            str(config.get("site_name", "")),
            address.site_url,
            address.repo_url,
            data_edit_uri,
            limits,
            address.source,
        )

    def permalink(self, url: str) -> str | None:
        """A site-root-relative URL ('incidents/x/') made absolute; None when the site's
        address is not known (never a guess: the page says to cite its own address)."""
        return self.site_url + url if self.site_url else None

    def edit_link(self, path: str) -> str | None:
        """Where to edit a file of the repository (e.g. data/incidents/2022/x.yaml) online."""
        if not self.repo_url or not self.data_edit_uri:
            return None
        return self.repo_url + _slash(self.data_edit_uri).lstrip("/") + path

    def commit_link(self, commit: str) -> str | None:
        """A commit's page on the repository's host (GitHub, and hosts that follow it)."""
        return self.repo_url + "commit/" + commit if self.repo_url else None

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
