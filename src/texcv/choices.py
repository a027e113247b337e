"""The fixed choices of a profile's design that every template family takes: engines, paper, name order.

Apart from the validator (schema.py) so that the command line can offer them without loading it. A
family's own options (moderncv's styles and colours, font sizes) are declared in its family.yaml.
"""

ENGINES = ("auto", "pdflatex", "xelatex", "lualatex")
PAPERS = ("a4", "letter", "a5", "b5", "legal", "executive")
NAME_ORDERS = ("given-first", "family-first")
