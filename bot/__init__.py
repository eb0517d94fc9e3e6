"""edubot: browser automation for Thai local-government education officers."""

__version__ = "0.1.0"
