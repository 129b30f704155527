"""Werkbrug: demand-led re-integration through employers, for Dutch labour-market regions."""

__version__ = "0.1.0"
