"""wijkbeeld: a shared picture of the neighbourhood, counting and telling (tellen en vertellen)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
