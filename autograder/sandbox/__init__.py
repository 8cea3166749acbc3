"""Running untrusted notebook code: a sandbox per grading worker, a fresh process per submission.

The modules in this package (except :mod:`autograder.sandbox.session`) are imported inside the sandbox, so they use
the standard library only.
"""
