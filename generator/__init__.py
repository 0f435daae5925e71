"""Turn incident records (YAML) into a MkDocs site with charts.

The pipeline, one module per stage (see ``build.generate``):

    load      read YAML files, keeping the line and column of every value
    model     the record types (pydantic), also the source of the JSON Schema
    validate  check every record and the links between them -> Dataset
    stats     count attacks by base and month, and the other figures
    charts    Plotly figures and their data tables
    pages     render the Jinja2 templates into Markdown
    audit     prove every incident reached every page and chart it belongs on
    write     replace the generated files in docs/, whole or not at all
    publish   run mkdocs build and swap the finished site into place
"""

__version__ = "0.1.0"
