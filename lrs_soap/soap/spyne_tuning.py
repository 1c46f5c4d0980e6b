"""Spyne settings we change, in one place."""

import math

from spyne import const

# Spyne runs a full gc.collect() at most once a second per process, after a request: 30 to
# 50 ms stalls that set the p99 (docs/performance.md, R4). Python's own collector suffices.
const.MIN_GC_INTERVAL = math.inf
