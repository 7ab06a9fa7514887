from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """The API's docs page (Swagger UI), served from this service with no CDN.

    Its script comes from files (the UI's bundle, and its settings from
    ``?script``), never inline, so the page works under a strict Content Security
    Policy (``script-src 'self'; style-src 'self'``); the template has no inline style
    either. Swagger UI's stylesheet draws its icons from ``data:`` images, so the
    policy needs ``img-src 'self' data:`` (tests/navigator/test_api_docs_page.py).
    """

    template_name = "api/docs.html"
