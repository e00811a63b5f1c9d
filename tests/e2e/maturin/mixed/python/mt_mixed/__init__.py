from ._native import answer

__all__ = ["answer"]
