"""Numba kernels of scene analysis.

Rules as in :mod:`cinemagraph._jit`: arrays and scalars only, results written into
``out``, no globals. Each kernel has a numpy twin in ``tests/reference.py``.
"""

from __future__ import annotations

from .._jit import ngjit


@ngjit
def forest_raw(x, feature, threshold, left, right, value, roots, tree_class, baseline, out):
    """Raw scores of an additive tree ensemble, one row of ``out`` per row of ``x``.

    x : (n, F) float32 features. Nodes of every tree are stored in flat arrays: ``feature``
    (int32), ``threshold`` (float64; go left when ``x <= threshold``), ``left`` / ``right``
    (int32 child indices, ``left == -1`` marks a leaf), ``value`` (float64 leaf value).
    roots : (T,) int32 index of each tree's root; tree_class : (T,) int32 output column it adds to.
    baseline : (K,) float64 start value of each column. out : (n, K) float64, overwritten.
    Trees are summed in order, so the result does not depend on how rows are split.
    """
    n = x.shape[0]
    k = baseline.shape[0]
    t_count = roots.shape[0]
    for i in range(n):
        for c in range(k):
            out[i, c] = baseline[c]
        for t in range(t_count):
            node = roots[t]
            while left[node] != -1:
                if x[i, feature[node]] <= threshold[node]:
                    node = left[node]
                else:
                    node = right[node]
            out[i, tree_class[t]] += value[node]
