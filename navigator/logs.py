"""Logs and error reports that never carry victim data.

A victim's name, safe number, address or a navigator's notes can reach an error in
many ways: a form post, a query string, a local variable in a failing service, the
text of an exception (PostgreSQL's "Failing row contains (...)" repeats the whole
row). So nothing here trusts what an error says:

- exception messages are replaced by the exception's type, and for database errors
  the SQLSTATE and the constraint, table and column names (which are code, not data);
- tracebacks keep their files, lines and source, and lose their local variables;
- error reports (the admin email, the debug page) show no POST, GET, FILES or cookie
  values, and of the request's environment only what describes the request's shape;
- the development server's request lines lose their query strings, and Celery's
  task-failure lines lose the exception text they embed.

Messages written by our own code name references and counts, never victim data.
"""

import logging
import re
import traceback
from typing import Any

from django.utils.safestring import SafeString
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

HIDDEN = "[hidden]"
# Exceptions whose messages talk about code (a missing attribute or module), not data.
MESSAGE_IS_CODE = (AttributeError, ImportError, NameError, NotImplementedError)
# Of a request's environment, what describes its shape without its content.
SAFE_META = frozenset(
    {
        "REQUEST_METHOD",
        "PATH_INFO",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "HTTP_HOST",
        "HTTP_ACCEPT",
        "HTTP_USER_AGENT",
        "HTTP_X_REQUEST_ID",
        "REMOTE_ADDR",
        "wsgi.url_scheme",
    }
)


def _database_diagnostics(error: BaseException) -> list[str]:
    for candidate in (error, error.__cause__):
        diag = getattr(candidate, "diag", None)
        if diag is None:
            continue
        sqlstate = getattr(candidate, "sqlstate", None) or diag.sqlstate
        if sqlstate is None:
            # No statement ran: the connection itself failed (refused, no such database,
            # bad password). That message names servers, not people, and is what to fix.
            return [str(candidate).splitlines()[0][:300]]
        facts = [f"SQLSTATE {sqlstate}"]
        for name, label in (
            ("constraint_name", "constraint"),
            ("table_name", "table"),
            ("column_name", "column"),
        ):
            if value := getattr(diag, name, None):
                facts.append(f"{label} {value}")
        return facts
    return []


def safe_exception_text(error: BaseException) -> str:
    """The exception's type, and what can be said of it without repeating any data."""
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    if isinstance(error, MESSAGE_IS_CODE):
        return f"{name}: {error}"
    facts = _database_diagnostics(error)
    if facts and not facts[0].startswith("SQLSTATE"):
        return f"{name}: {facts[0]}"
    return f"{name} ({', '.join(facts)}; message hidden)" if facts else f"{name} (message hidden)"


def format_exception_safely(error: BaseException) -> str:
    """A traceback like Python's, each exception's message replaced (safe_exception_text)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts = []
    for position, link in enumerate(reversed(chain)):
        if position:
            parts.append("\nDuring handling of the above exception, another was raised:\n\n")
        parts.append("Traceback (most recent call last):\n")
        stack = traceback.StackSummary.extract(
            traceback.walk_tb(link.__traceback__), capture_locals=False
        )
        parts.extend(stack.format())
        parts.append(safe_exception_text(link) + "\n")
    return "".join(parts).rstrip("\n")


# From the "?" to the protocol that ends a request line (or to the end).
_QUERY = re.compile(r"\?.*?(?=\s+HTTP/|$)")


class VictimDataFilter(logging.Filter):
    """On every handler: makes each record safe before any formatter or handler reads it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters use exc_text when it is set, so none formats the real message.
            record.exc_text = format_exception_safely(record.exc_info[1])
        if record.name == "celery.app.trace" and isinstance(record.args, dict):
            # "Task x[id] raised unexpected: <the exception, message and all>"
            error = record.exc_info[1] if record.exc_info else None
            record.args = {
                **record.args,
                "exc": safe_exception_text(error) if error else HIDDEN,
                "traceback": "",
                "args": HIDDEN,
                "kwargs": HIDDEN,
            }
            if hasattr(record, "data"):
                record.data = {}
        if record.name == "django.server" and record.args:
            # The development server's request line, e.g. "GET /cases/?q=... HTTP/1.1".
            record.args = tuple(
                _QUERY.sub("?" + HIDDEN, arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


class VictimSafeFormatter(logging.Formatter):
    """Belt and braces: formats any exception safely even without the filter."""

    def formatException(self, ei: Any) -> str:
        return format_exception_safely(ei[1]) if ei and ei[1] is not None else ""


class VictimSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """What error reports may show of a request: its shape, none of its content. And of
    the settings, none that holds a password (the database and broker URLs can)."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|BROKER|ADMINS", flags=re.I
    )

    def is_active(self, request: Any) -> bool:
        return True  # with DEBUG on too: the demo's debug pages are no exception

    def get_post_parameters(self, request: Any) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, HIDDEN)

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> list[Any]:
        return []  # a failing service's locals are the victim's details

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        if request is None:
            return {}
        return {key: value if key in SAFE_META else HIDDEN for key, value in request.META.items()}

    def get_safe_cookies(self, request: Any) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.COOKIES, HIDDEN)  # the session cookie signs a person in


class VictimSafeExceptionReporter(ExceptionReporter):
    """The admin error email and the debug page, without any data the request carried."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        # A 500 answered without an exception (a view that returns one) is reported with
        # the log message in the exception's place: a string naming only the path.
        if isinstance(self.exc_value, BaseException):
            data["exception_value"] = safe_exception_text(self.exc_value)
        data.pop("exception_notes", None)
        data["unicode_hint"] = ""
        for frame in data.get("frames", []):
            frame["vars"] = []
            cause = frame.get("exc_cause")
            if isinstance(cause, BaseException):
                frame["exc_cause"] = SafeString(safe_exception_text(cause))
        if self.request is not None:
            data["request_GET_items"] = [(key, HIDDEN) for key in self.request.GET]
            data["request_FILES_items"] = [(key, HIDDEN) for key in self.request.FILES]
            data["request_insecure_uri"] = self.request.path
        return data
