"""texcv: typeset résumés kept as YAML profiles with LaTeX."""

__version__ = "0.1.0"
