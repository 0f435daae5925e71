"""Run the site builder (MkDocs, or ProperDocs) and swap the finished site into site/, or
publish it to a gh-pages branch with the builder's own ``gh-deploy``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from generator.errors import BuildError
from generator.project import Project
from generator.settings import Settings
from generator.write import replace_dir

ENGINES = ("mkdocs", "properdocs")


def builder_env(project: Project | None = None) -> dict[str, str]:
    """The site builder's environment. With a project, SITE_NAME is the dataset's title
    (dataset.yaml), which mkdocs.yml's site_name reads: one setting names the site; and
    SITE_URL and REPO_URL are the addresses the generator worked out (``settings.Address``),
    or absent when nothing says where the site lives, so that MkDocs writes no made-up one."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if project is not None:
        env["SITE_NAME"] = dataset_title(project)
        settings = Settings.read(project)
        for name, value in (("SITE_URL", settings.site_url), ("REPO_URL", settings.repo_url)):
            if value:
                env[name] = value
            else:
                env.pop(name, None)
    return env


def dataset_title(project: Project) -> str:
    from generator.validate import load_info  # the build's own reading of dataset.yaml

    return load_info(project, []).title


def build_site(project: Project, engine: str = "mkdocs") -> None:
    """``<engine> build --strict`` into a fresh folder; replace site/ only if it succeeds."""
    project.check_paths()
    project.check_published()
    new = project.root / f".site-new-{os.getpid()}"
    shutil.rmtree(new, ignore_errors=True)
    run = _run(project, engine, "build", "--site-dir", str(new))
    if run.returncode != 0 or not (new / "index.html").is_file():
        shutil.rmtree(new, ignore_errors=True)
        raise BuildError(
            f"{engine} build --strict failed; site/ was left as it was.\n{_problems(run)}"
        )
    try:
        replace_dir(new, project.site_dir)
    except OSError as e:
        shutil.rmtree(new, ignore_errors=True)
        raise BuildError(f"could not replace site/: {e.strerror}") from None


def gh_deploy(project: Project, engine: str = "mkdocs", remote: str = "origin") -> str:
    """``<engine> gh-deploy --strict``: build the site and push it to the gh-pages branch.

    Builds into a scratch folder (site/ is left alone). Returns the builder's last line,
    which says where the site will appear.
    """
    project.check_paths()
    project.check_published()
    scratch = project.root / f".site-deploy-{os.getpid()}"
    try:
        run = _run(
            project, engine, "gh-deploy", "--remote-name", remote, "--site-dir", str(scratch)
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if run.returncode != 0:
        raise BuildError(f"{engine} gh-deploy failed; nothing was published.\n{_problems(run)}")
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    return lines[-1].removeprefix("INFO").strip(" -") if lines else ""


def _run(
    project: Project, engine: str, command: str, *options: str
) -> subprocess.CompletedProcess[str]:
    """``<engine> <command> --strict`` on the project's mkdocs.yml, its output captured."""
    if engine not in ENGINES:
        raise BuildError(f"unknown site builder {engine!r}; use one of {', '.join(ENGINES)}")
    # Not --quiet: it hides the warnings --strict counts, and the build then passes anyway.
    argv = [
        sys.executable,
        "-m",
        engine,
        command,
        "--strict",
        "--config-file",
        str(project.config_file),
        *options,
    ]
    try:
        return subprocess.run(
            argv,
            cwd=project.root,
            env=builder_env(project),
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except OSError as e:
        raise BuildError(f"could not run {engine}: {e.strerror}") from None


def _problems(run: subprocess.CompletedProcess[str]) -> str:
    """The builder's output without its INFO lines: the warnings and errors."""
    return "\n".join(
        line for line in (run.stdout + run.stderr).splitlines() if not line.startswith("INFO")
    )
