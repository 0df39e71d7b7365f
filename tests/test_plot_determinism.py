"""A notebook figure is the same every time it is drawn (no global random state)."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simsurvey.plots import coverage_plot  # noqa: E402


def test_coverage_plot_places_every_dot_the_same_way_twice():
    by_claim = pd.DataFrame({"method": np.repeat(["percentile", "katz"], 20),
                             "coverage": np.tile(np.linspace(0.9, 0.99, 20), 2)})
    first = coverage_plot(by_claim).collections[0].get_offsets().copy()
    np.random.seed(123)  # whatever the global state, the jitter is the plot's own
    second = coverage_plot(by_claim).collections[0].get_offsets()
    assert np.array_equal(first, second)
    assert np.ptp(first[:20, 0]) > 0  # jittered, not stacked
