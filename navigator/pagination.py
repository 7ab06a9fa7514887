from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Cursor pages over a unique, unchanging order, so clients never see a row twice."""

    ordering = "-id"


class ReferenceCursorPagination(CursorPagination):
    ordering = "reference"
