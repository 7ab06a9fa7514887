from cases.models import CLOCK_STATE_LABELS
from contacts import sla


def test_every_clock_state_has_a_label_for_people() -> None:
    assert set(CLOCK_STATE_LABELS) == {str(state) for state in sla.ClockState}
