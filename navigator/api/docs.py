from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView


# Swagger UI's stylesheet draws its icons from ``data:`` images; nothing else of the
# site's policy is loosened, and only on this page.
@method_decorator(csp_update({"img-src": ["data:"]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    """The API's docs page (Swagger UI), served from this service with no CDN.

    Its script comes from files (the UI's bundle, and its settings from
    ``?script``), never inline, so the page works under the site's Content Security
    Policy (``script-src 'self'; style-src 'self'``); the template has no inline style
    either (tests/navigator/test_api_docs_page.py).
    """

    template_name = "api/docs.html"
