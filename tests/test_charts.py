"""Every chart is a figure Plotly accepts: checked with plotly.graph_objects, which refuses
unknown or misspelt properties and wrong values (the build itself skips that check)."""

from __future__ import annotations

import plotly.graph_objects as go
from conftest import TODAY

from generator.build import generate


def test_every_chart_is_a_valid_plotly_figure(project):
    charts = list(generate(project, as_of=TODAY).charts)
    assert len(charts) == 18
    for chart in charts:
        go.Figure(chart.figure)  # raises ValueError on anything Plotly does not know
