"""Document metadata of a Vietnamese plan decision (GOLD_SPEC "Document metadata").

`extract_metadata(lines)` reads the body text lines (outside tables, plus appendix titles) in
reading order and returns the metadata fields, notes on anything odd, and for every field the rule
that produced it. Vocabularies (provinces, ministries, titles, surnames...) live in
../data/metadata_vocab.yaml (vocab.py).

The stages, each a small pure function over the cleaned lines (module in brackets):
  lines -> Layout (where the headings, header block and signature are) [layout]
        -> numbers and dates (own "Số:" line, place-date line, "(Ban hành kèm theo … số …)" lines) [numbers_dates]
        -> issuer (authority line, body sentence, "kèm theo … của …", number suffix, place line) [issuer, places]
           -> issuer, level, province, district fields [issuer_fields]
        -> title (plan heading or decision title, sentence case) [title] -> period [period] -> signer [signer].
extract.py runs them in that order.
"""

from plantasks.parsers.metadata.extract import META_FIELDS, MetadataResult, extract_metadata
from plantasks.parsers.metadata.issuer import official_case
from plantasks.parsers.metadata.numbers_dates import parse_date, parse_number
from plantasks.parsers.metadata.period import period_from_text

__all__ = [
    "META_FIELDS", "MetadataResult", "extract_metadata", "official_case", "parse_date", "parse_number",
    "period_from_text",
]
