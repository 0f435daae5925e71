"""Turn incident records (YAML) into a MkDocs site with charts.

The build, one module per stage, in the order ``build.generate`` runs them:

    load       read YAML files, keeping the line and column of every value
    model      the record types (pydantic), built from ``vocabularies`` (every word a field
               allows, with its meaning) and ``fields`` (names, texts, addresses, dates);
               the JSON Schema's source
    validate   read the data folder, each record through ``parse`` (pydantic's errors as
               ours), then ``checks`` across records -> Dataset
    stats      every count on the site, by one rule each: attacks by base and month,
               strikes, casualties, claims, official tallies
    charts     Plotly figures and their data tables (a module per chart family: frequency,
               timeline, map; ``figure`` holds what they share)
    exports    the downloads (CSV, JSON, GeoJSON, counts) and the Atom feed
    pages      render the Jinja2 templates in templates/ into Markdown
    audit      prove every incident reached every page, chart and download it belongs in
    write      put generated files in place, whole or not at all
    publish    run mkdocs build and swap the finished site into place
    build      the pipeline: the one function that runs the stages above

What the stages share:

    project    where things live in a project folder
    settings   where the site and its repository live; what mkdocs.yml says (limits)
    history    what git says (the data version, when each record was published, corrected
               and last changed: the corrections log)
    changes    two versions of a record compared field by field (the log and make diff)
    wording    how records read: titles, places, dates
    dates      month arithmetic and dates as words, the same in every locale
    text       cleaning pasted text, comparing names, slugs; the name -> id index
    gazetteer  the sites that hosted US forces and the places of Iraq, Syria and Jordan
               (data files, GeoNames extracts); a name to a place and its coordinates
    values     the types of YAML values as read
    escape     one escaper per output language (HTML, Markdown, GFM, Plotly, BibTeX, CSV,
               GitHub workflow commands)
    git        the one way git is run
    parallel   spreading per-file work over the cores
    errors     the exceptions a user can act on
    hooks      the MkDocs hook that puts generated HTML blocks back (loaded by MkDocs)

Commands:

    cli        ``python -m generator`` / ``incident-tracker``: a thin layer over the above
    serve      ``make serve``: the live preview

Contributor tools (``generator/tools/``; nothing on the build path imports them):

    tools.records   the one writer of incident files, and checking new ones before writing
    tools.new       ``make new``: a new record from questions or options
    tools.review    ``make diff`` / ``make review``: what a change does to the published site
    tools.importer  ``import-csv``: rows of a CSV to records, through an adapter per source
    tools.draft     ``make draft``: records drafted from news articles, for a person to check
"""

__version__ = "0.2.0"
