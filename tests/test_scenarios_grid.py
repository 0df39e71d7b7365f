"""The grid runner: same seed, same table, whatever the order, the worker count or the cluster."""
import pandas as pd
import pytest

from simsurvey.scenarios.grid import _demo_cell, grid_cells, run_grid


def test_cells_are_the_cartesian_product_times_replications():
    cells = grid_cells({"a": [1, 2, 3], "b": ["x", "y"]}, replications=4)
    assert len(cells) == 24 and cells[0] == {"a": 1, "b": "x", "replication": 0}


def test_identical_across_worker_counts():
    grid = {"mu": [0.0, 1.0, 2.0], "scale": [1, 2]}
    one = run_grid(_demo_cell_scaled, grid, replications=3, seed=5, workers=1)
    two = run_grid(_demo_cell_scaled, grid, replications=3, seed=5, workers=2, chunks_per_worker=3)
    pd.testing.assert_frame_equal(one, two)
    assert len(one) == 18 and one["draw"].nunique() == 18


def test_a_cell_does_not_depend_on_the_rest_of_the_grid():
    small = run_grid(_demo_cell, {"mu": [1.0]}, replications=2, seed=5, workers=1)
    big = run_grid(_demo_cell, {"mu": [0.0, 1.0]}, replications=2, seed=5, workers=1)
    assert small["draw"].tolist() == big.loc[big["mu"] == 1.0, "draw"].tolist()


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="replications"):
        run_grid(_demo_cell, {"mu": [0.0]}, replications=0)
    with pytest.raises(ValueError, match=r"grid\['mu'\]"):
        run_grid(_demo_cell, {"mu": []})
    with pytest.raises(ValueError, match="workers"):
        run_grid(_demo_cell, {"mu": [0.0]}, workers=0)


def test_identical_on_a_dask_cluster():
    distributed = pytest.importorskip("distributed")
    grid = {"mu": [0.0, 1.0], "scale": [1, 3]}
    local = run_grid(_demo_cell_scaled, grid, replications=3, seed=11, workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = run_grid(_demo_cell_scaled, grid, replications=3, seed=11, client=client)
    pd.testing.assert_frame_equal(local, remote)


def _demo_cell_scaled(mu, scale, seed):
    return {"draw": _demo_cell(mu, seed)["draw"] * scale}
