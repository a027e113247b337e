"""The fixed choices of a profile's design: moderncv's styles and colours, engines, paper, fonts.

Apart from the validator (schema.py) so that the command line can offer them without loading it.
"""

STYLES = ("classic", "casual", "banking", "oldstyle", "fancy", "empty")
COLORS = ("blue", "black", "burgundy", "green", "grey", "orange", "purple", "red")
ENGINES = ("auto", "pdflatex", "xelatex", "lualatex")
PAPERS = ("a4", "letter", "a5", "b5", "legal", "executive")
FONTS = ("sans", "roman")
FONT_SIZES = (10, 11, 12)
NAME_ORDERS = ("given-first", "family-first")
