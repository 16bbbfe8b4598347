"""Analyst review: corrections kept next to the outputs and re-applied on every run.

    plantasks review DIR                  # local review page (http://127.0.0.1:8765/)
    plantasks export DIR --xlsx FILE      # spreadsheet for review
    plantasks import FILE --out DIR       # its changed cells -> corrections (DIR/corrections.sqlite)
    plantasks corrections list [DIR]
    plantasks corrections suggest-aliases [DIR]
    plantasks eval OUT_DIR --gold GOLD_DIR

Modules: store (SQLite corrections, one transaction per save), apply (re-application and
conflicts), edits (analyst changes -> corrections), normalize (lazy bridges to the agency registry
and deadline normalizer), server (the folder index and what the page asks for; served over HTTP by
plantasks.pipeline.service) + static/ (review page), xlsx, suggest, evaluate, cli.
"""
