"""How the tab-renewal budget is split among workers."""

from __future__ import annotations

import pytest

from bot.engine.workers import loads_per_tab


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_zero_means_never_renew_whatever_the_workers(workers: int) -> None:
    assert loads_per_tab(0, workers) == 0


@pytest.mark.parametrize(
    ("renew_every", "workers", "expected"),
    [(6, 1, 6), (6, 2, 3), (6, 3, 2), (6, 4, 2), (6, 8, 1), (5, 2, 3), (1, 2, 1), (10, 3, 4)],
)
def test_the_budget_is_shared_rounded_up(renew_every: int, workers: int, expected: int) -> None:
    assert loads_per_tab(renew_every, workers) == expected


@pytest.mark.parametrize("renew_every", range(1, 30))
@pytest.mark.parametrize("workers", range(1, 9))
def test_the_tabs_together_never_hold_less_than_the_budget_nor_a_tab_more_than_it(
    renew_every: int, workers: int
) -> None:
    per_tab = loads_per_tab(renew_every, workers)
    assert 1 <= per_tab <= renew_every
    assert per_tab * workers >= renew_every > (per_tab - 1) * workers
