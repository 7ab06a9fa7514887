"""A QR code drawn on the server as SVG: the key for an authenticator app never leaves us."""

import qrcode
from django.utils.html import format_html
from django.utils.safestring import SafeString


def qr_svg(data: str, *, label: str) -> SafeString:
    """``data`` as an inline SVG QR code, one square per dark module, with ``label`` for
    people who cannot see it (they type the key shown beside it instead)."""
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    squares = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    return format_html(
        '<svg class="qr-code" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges">'
        '<rect class="qr-code__light" width="{}" height="{}"/>'
        '<path class="qr-code__dark" d="{}"/></svg>',
        label,
        size,
        size,
        size,
        size,
        squares,
    )
