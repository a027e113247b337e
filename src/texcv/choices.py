"""The fixed choices of a profile's design that every template family takes: engines, paper, name order,
output formats.

Apart from the validator (schema.py) so that the command line can offer them without loading it. A
family's own options (moderncv's styles and colours, font sizes) are declared in its family.yaml.
"""

ENGINES = ("auto", "pdflatex", "xelatex", "lualatex")
PAPERS = ("a4", "letter", "a5", "b5", "legal", "executive")
NAME_ORDERS = ("given-first", "family-first")
# What `build` can write for each language, and each format's file beside the PDF (same stem).
FORMATS = {
    "pdf": ".pdf",
    "tex": ".tex",
    "html": ".html",
    "md": ".md",
    "txt": ".txt",
    "png": "-1.png, -2.png, …",
    "json": ".json",
}
