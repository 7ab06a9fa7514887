"""What every API view shares."""

from typing import Any

from rest_framework.request import Request

from navigator.api.errors import UnknownParameters


class StrictQueryParamsMixin:
    """Refuse query parameters the endpoint does not take (400, ``unknown_parameter``).

    A misspelt filter that was silently ignored would hand a partner everything
    instead of what they asked for; saying so at once is kinder. A list takes its
    filters and the paging parameters; everything else takes none.
    """

    action: str | None
    filterset_class: Any = None
    paginator: Any

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        allowed = self.allowed_query_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise UnknownParameters(unknown, sorted(allowed))

    def allowed_query_params(self) -> set[str]:
        if self.action != "list":
            return set()
        allowed = set(self.filterset_class.base_filters) if self.filterset_class else set()
        if self.paginator is not None:
            allowed |= {self.paginator.cursor_query_param}
            if self.paginator.page_size_query_param:
                allowed.add(self.paginator.page_size_query_param)
        return allowed
