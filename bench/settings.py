"""Settings for bench/speed.py only: the portal's settings plus a bare reference view.

Never used by `make serve` or production; the bare view exists only under this module.
"""

from psc_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
