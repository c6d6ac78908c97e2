"""See chalicelib/reports/__init__.py."""
