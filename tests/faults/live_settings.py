"""Settings for a web server a fault test starts: the test settings (DEBUG on in the
environment, for the laptop defaults: the demo keys, plain-HTTP cookies, files for the
broker), then DEBUG off as in production, so that an error is answered by the project's
own handlers (the 503 page), never Django's debug page."""

from navigator.settings import *  # noqa: F403

DEBUG = False
