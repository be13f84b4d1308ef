"""Rate limits that need no client address: per collection link, and for sign-in as a whole.

Kept in the memory of each worker process (sliding window), so with several workers the
effective limit is that many times higher; enough to blunt floods and guessing without
storing anything about who sent a request.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Hashable


class RateLimiter:
    def __init__(self, limit: int, seconds: float = 60.0):
        self.limit = limit
        self.seconds = seconds
        self._hits: dict[Hashable, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: Hashable) -> bool:
        """Count one request for `key`; False when it is over the limit (0 = no limit)."""
        if self.limit <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True
