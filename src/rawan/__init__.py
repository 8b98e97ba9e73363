"""rawan: election-vulnerability mapping (pemetaan kerawanan pemilu)."""

__version__ = "0.1.0"
