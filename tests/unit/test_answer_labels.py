"""An answer under its question's label: "Diet: none", but a label that ends in its own mark
takes no colon after it (an outside tester read "Will you bring a laptop?: Yes")."""

from __future__ import annotations

import pytest

from chalicelib.booking.api.printouts import answered


@pytest.mark.parametrize(
    ("label", "said"),
    [
        ("Dietary needs", "Dietary needs: none"),
        ("Will you bring a laptop?", "Will you bring a laptop? none"),
        ("Pickup:", "Pickup: none"),
        ("需要接送吗？", "需要接送吗？ none"),
    ],
)
def test_a_label_ending_in_its_own_mark_takes_no_colon(label: str, said: str) -> None:
    assert answered(label, "none") == said
