"""The trainee's self-check: ``check("q2")`` and ``hint("q2")`` in the notebook, and ``college exercise check``.

Formative only, in the trainee's own Python with the standard library (no nbgrader, no sandbox, no pyarrow),
so it works wherever the trainee's Jupyter does. Grading, which counts, runs elsewhere (``autograder``).
"""

from college.selfcheck.kernel import SelfCheck, load

__all__ = ["SelfCheck", "load"]
