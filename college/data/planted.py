"""The recording problems planted in the A&E attendances, and how often: plain facts, shared by the generator
(:mod:`college.data.quality`) and the data pages, which must not load NumPy to print them."""

PROBLEMS = ("departure_before_arrival", "invalid_nhs_number", "unknown_code", "duplicate")
RATES = (0.003, 0.005, 0.004, 0.003)
"""Share of attendances with each problem."""
