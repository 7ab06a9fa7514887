"""The officer lookup's rules, over plain data: how a typed reference is tidied before the
exact match, and when repeated misses are turned away (to slow guessing of references)."""

MISSES_ALLOWED = 10
MISS_WINDOW_SECONDS = 15 * 60


def normalise_reference(typed: str) -> str:
    """A reference as typed, with stray and repeated spaces removed (case is ignored by the
    match)."""
    return " ".join(typed.split())


def too_many_misses(misses: int) -> bool:
    return misses >= MISSES_ALLOWED
