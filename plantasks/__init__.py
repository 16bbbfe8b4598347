"""plantasks: task records from Vietnamese government plan decisions."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.0"
