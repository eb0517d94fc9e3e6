"""Speed, measured: edubot against a hand-written Playwright script and plain HTTP (issue 8).

`python -m benchmarks.run` (what `make bench` calls) serves a fresh mock LEC in-process, runs
each contender as its own process against it, and reports rate, requests per record, start to
first navigation and peak memory. See benchmarks/README.md.
"""
