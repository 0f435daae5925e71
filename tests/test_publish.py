"""Publishing: MkDocs and ProperDocs build the same site, and `make gh-deploy` pushes it.

MkDocs and ProperDocs build the same site from the same mkdocs.yml.

`make site ENGINE=properdocs` (or `python -m generator site --engine properdocs`) runs
ProperDocs, the maintained continuation of MkDocs 1.x, instead of MkDocs. The two sites are
compared file by file. What legitimately differs is normalized, and nothing else:
- the `<meta name="generator" content="…">` tag of every HTML page, which names the
  builder and its version;
- the `<lastmod>` dates in sitemap.xml and sitemap.xml.gz, which are the day of the build
  (compared after decompressing the .gz, whose header holds a timestamp).
Every other byte of every file must be the same.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main

pytestmark = pytest.mark.slow

GENERATOR_META = re.compile(rb'<meta name="generator" content="([^"]*)">')
LASTMOD = re.compile(rb"<lastmod>\d{4}-\d{2}-\d{2}</lastmod>")


def normalized(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if path.suffix == ".html":
        data = GENERATOR_META.sub(b'<meta name="generator" content="BUILDER">', data)
    if path.name.startswith("sitemap.xml"):
        data = LASTMOD.sub(b"<lastmod>BUILD-DATE</lastmod>", data)
    return data


def files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): normalized(p)
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def generators(site: Path) -> set[bytes]:
    return {m for p in site.rglob("*.html") for m in GENERATOR_META.findall(p.read_bytes())}


def test_properdocs_and_mkdocs_build_the_same_pages(project, tmp_path):
    build(project, engine="mkdocs")
    mkdocs_site = tmp_path / "mkdocs-site"
    shutil.copytree(project.site_dir, mkdocs_site)
    summary = build(project, engine="properdocs")
    properdocs_site = project.site_dir
    assert summary.pages == 39

    # Each site really was built by its engine, and the meta tag is the only such trace.
    (made_by_mkdocs,) = generators(mkdocs_site)  # e.g. "mkdocs-1.6.1, mkdocs-material-9.8.1"
    (made_by_properdocs,) = generators(properdocs_site)  # "mkdocs-ProperDocs 1.6.7, …"
    assert re.match(rb"mkdocs-1\.\d+\.\d+, mkdocs-material-", made_by_mkdocs)
    assert re.match(rb"mkdocs-ProperDocs 1\.\d+\.\d+, mkdocs-material-", made_by_properdocs)

    a, b = files(mkdocs_site), files(properdocs_site)
    assert sorted(a) == sorted(b)
    assert len([p for p in a if p.endswith(".html")]) >= 40  # 39 pages and the 404 page
    different = [p for p in sorted(a) if a[p] != b[p]]
    assert different == []


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_gh_deploy_pushes_the_site_to_the_gh_pages_branch(
    project, tmp_path, monkeypatch, capsys, engine
):
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Analyst")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "analyst@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "sample data")
    git(project.root, "remote", "add", "origin", str(remote))

    code = main(["--root", str(project.root), "gh-deploy", "--engine", engine])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("Built 17 incidents into 39 pages and 21 charts in ")
    assert " s: the gh-pages branch of origin\n" in out
    published = set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert {
        ".nojekyll",
        "index.html",
        "incidents/2022-08-15-green-village-rockets/index.html",
    } <= published
    assert "assets/vendor/plotly.min.js" in published
    assert not project.site_dir.exists()  # built in a scratch folder, removed afterwards
    assert not list(project.root.glob(".site-*"))
