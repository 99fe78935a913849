"""Benchmarks of nexus_audit at a real platform's scale; ``python -m benchmarks --help``.

Each part runs on its own and writes ``results/<part>.json``; ``table`` turns whatever
results exist into ``results/RESULTS.md``. Timed work runs in child processes, so peak
memory is the child's own maximum resident set size, and every figure is the median of
``--runs`` runs. The README's "Performance" section describes the parts and the table.
"""
