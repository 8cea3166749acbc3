"""``python -m college``: the same command line as ``college``, for machines where scripts are not on PATH."""

from college.cli import app

app(prog_name="college")
