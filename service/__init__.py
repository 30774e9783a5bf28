"""kiemdiem: screens Vietnamese Party self-reviews for formalism."""

__version__ = "0.1.0"
