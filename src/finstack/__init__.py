"""finstack: the analytics stack of a UK P2P-lending and cash-management FinTech.

The package holds the raw-data generator (the demo's "loaders"), the project CLI
and the offline checks that CI runs beside dbt.
"""

__version__ = "0.1.0"
