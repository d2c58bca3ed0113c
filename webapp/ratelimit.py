"""Request-rate limits (Flask-Limiter) and counters of failed attempts (limits)."""

import math
import time

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

limiter = Limiter(key_func=get_remote_address, default_limits=[])


class Attempts:
    """Counts failures per key (an account, an address) in a moving window."""

    def __init__(self, name, rule):
        self.name = name
        self.rule = parse(rule)

    def _strategy(self):
        ext = current_app.extensions.setdefault("attempt_counters", {})
        if "strategy" not in ext:
            storage = storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
            ext["strategy"] = MovingWindowRateLimiter(storage)
        return ext["strategy"]

    def blocked(self, key):
        """True while the key has used up its failures."""
        return not self._strategy().test(self.rule, self.name, key)

    def fail(self, key):
        """Count one failure for the key."""
        self._strategy().hit(self.rule, self.name, key)

    def retry_minutes(self, key):
        """Whole minutes before the next attempt is allowed (at least 1)."""
        stats = self._strategy().get_window_stats(self.rule, self.name, key)
        return max(1, math.ceil((stats.reset_time - time.time()) / 60))

    def clear(self, key):
        """Forget the failures of a key (after a success)."""
        self._strategy().clear(self.rule, self.name, key)


LOGIN_PER_ACCOUNT = Attempts("login-account", "5 per 15 minutes")
LOGIN_PER_ADDRESS = Attempts("login-address", "30 per 15 minutes")
TOTP_PER_ACCOUNT = Attempts("totp-account", "5 per 15 minutes")
