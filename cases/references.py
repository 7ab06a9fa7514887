"""Pseudonymous references shown in lists and notices instead of names."""

import secrets

# No 0/O, 1/I/L or 5/S: references are read aloud over the phone.
ALPHABET = "2346789ABCDEFGHJKMNPQRTUVWXYZ"
LENGTH = 5


def new_reference(prefix: str) -> str:
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_victim_reference() -> str:
    return new_reference("V")


def new_case_reference() -> str:
    return new_reference("C")
