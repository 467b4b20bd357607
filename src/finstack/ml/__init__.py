"""Python models of the support and monitoring marts (issue 6).

The logic lives here as small pure functions on pandas frames, tested by
tests/python/test_ml.py; the dbt Python models (models/**/*.py) are thin
wrappers that load their refs with :func:`to_pandas` and call them.

- :mod:`finstack.ml.sentiment`: VADER scores of customer messages.
- :mod:`finstack.ml.tagging`: TF-IDF + logistic regression ticket tagger.
- :mod:`finstack.ml.anomalies`: robust z-scores of daily KPIs.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def to_pandas(relation: Any, columns: list[str] | None = None) -> pd.DataFrame:
    """A dbt.ref() result as a pandas frame, only ``columns`` if given.

    dbt-duckdb hands a DuckDBPyRelation (``.df()``); BigQuery's bigframes
    submission a bigframes DataFrame (``.to_pandas()``); anything else is
    taken to be pandas already. Selecting columns first keeps the transfer
    (and personal data in memory) to what the model needs.
    """
    if hasattr(relation, "df") and hasattr(relation, "project"):  # DuckDB
        if columns:
            relation = relation.project(", ".join(columns))
        return relation.df()
    if columns:
        relation = relation[columns]
    if hasattr(relation, "to_pandas"):  # bigframes
        return relation.to_pandas()
    return pd.DataFrame(relation)
