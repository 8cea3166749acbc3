"""Charts drawn at build time from the shared synthetic data, and the page markers that place them.

A page asks for a chart with a line of its own, ``<!-- chart: ID -->``; page generation replaces it with the chart
(an SVG file under ``charts/``), its caption and its numbers as a table. matplotlib is imported only when a chart
is drawn, so the trainee's install, which has no plotting library, can still load the curriculum.
"""
