"""OS1: an offline AI companion that lives on your own computer."""

__version__ = "0.1.0"
