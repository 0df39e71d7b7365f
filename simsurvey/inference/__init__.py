"""Stage 4, inference: replicate weights, bootstrap and analytic intervals, coverage studies."""
