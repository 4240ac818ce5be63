"""tỉnh số: the platform on which a Vietnamese province runs its digital transformation."""

__version__ = "0.1.0"
