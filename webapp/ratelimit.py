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


class Rate(Attempts):
    """Requests (not only failures) per key in a moving window, the rule read from the
    configuration (`setting`, else `default`): `hit` counts one and says whether it is
    still within the rule."""

    def __init__(self, name, setting, default):  # not super(): its rule is fixed
        self.name, self.setting, self.default = name, setting, default

    @property
    def rule(self):
        return parse(current_app.config.get(self.setting) or self.default)

    def hit(self, key):
        """Count one request of the key; False once past the rule."""
        return self._strategy().hit(self.rule, self.name, key)

    def retry_seconds(self, key):
        """Whole seconds before the key is within the rule again (at least 1)."""
        stats = self._strategy().get_window_stats(self.rule, self.name, key)
        return max(1, math.ceil(stats.reset_time - time.time()))


# The OAuth token and revocation endpoints (webapp.views.smart.server), one budget for both: an
# address is counted first, so that one address cannot use up a client's budget.
OAUTH_PER_ADDRESS = Rate("oauth-address", "OAUTH_RATE_PER_ADDRESS", "60 per minute")
OAUTH_PER_CLIENT = Rate("oauth-client", "OAUTH_RATE_PER_CLIENT", "600 per minute")
