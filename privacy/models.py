from cases.models import Victim


class VictimRecord(Victim):
    """A victim's whole record, as the admin's privacy requests see it (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "victim's record (access and erasure requests)"
        verbose_name_plural = "victims' records (access and erasure requests)"
