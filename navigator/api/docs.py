from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """The API's docs page (Swagger UI), served from this service with no CDN.

    Its script comes from files (the UI's bundle, and its settings from
    ``?script``), never inline, so the page works under a strict Content Security
    Policy (``script-src 'self'``); the template has no inline style either.
    """

    template_name = "api/docs.html"
