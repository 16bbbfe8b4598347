"""extract_metadata: the stages in order, the document type, own numbers against attachment lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from plantasks.normalizers.vietnamese import match_key
from plantasks.parsers.metadata.issuer_fields import issuer_fields
from plantasks.parsers.metadata.layout import Layout, lines_to_layout
from plantasks.parsers.metadata.numbers_dates import Attachment, DocDate, DocNumber, attachments, own_number, own_place_date
from plantasks.parsers.metadata.period import period_from_text
from plantasks.parsers.metadata.places import province_mentions
from plantasks.parsers.metadata.signer import find_signer
from plantasks.parsers.metadata.title import compose_title, title_candidates
from plantasks.parsers.metadata.vocab import load_vocab

META_FIELDS = (
    "doc_type", "issuer", "level", "province", "district", "decision_number", "decision_date",
    "plan_number", "plan_date", "title", "period_start", "period_end", "signer",
)


@dataclass(frozen=True)
class MetadataResult:
    fields: dict
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # field -> rule that produced it


def _doc_type(layout: Layout, number: DocNumber | None, atts: list[Attachment]) -> tuple[str, str]:
    vocab = load_vocab()
    if number is not None:
        kind = vocab.number_types.get(match_key(number.type_code))
        if kind:
            return kind, "own number type"
    if layout.decision_heading is not None:
        return "decision", "decision heading"
    if any(a.kind == "decision" and not a.in_appendix for a in atts):
        return "decision", "attached to a decision"
    return "plan", "plan heading"


def _pick_number(own: DocNumber | None, own_date: DocDate | None, atts: list[Attachment], kind: str,
                 notes: list[str], sources: dict, field_prefix: str) -> tuple[str | None, date | None]:
    """Own number/date win; attachment lines fill in when the own line is missing, and a
    disagreement between them is noted."""
    same_kind = [a for a in atts if a.kind == kind]
    number, when = None, None
    if own is not None:
        number, when = own.number, own_date.value if own_date else None
        sources[f"{field_prefix}_number"] = "own number line"
        sources[f"{field_prefix}_date"] = "own place-date line"
        if own.number is None:
            notes.append(f"{field_prefix} number blank in the source (unsigned draft)")
        if own_date is not None and own_date.value is None:
            notes.append(f"{field_prefix} date blank in the source (unsigned draft)")
    elif same_kind:
        first = same_kind[0]
        number, when = first.number.number, first.date.value if first.date else None
        sources[f"{field_prefix}_number"] = sources[f"{field_prefix}_date"] = "ban hành kèm theo line"
        notes.append(f"{field_prefix} number and date taken from the 'kèm theo' line (no own number line)")
    for att in same_kind:
        where = "appendix header" if att.in_appendix else "plan sub-heading"
        if att.number.number and number and att.number.number != number:
            notes.append(f"{field_prefix} number differs between {field_prefix} ({number}) and {where} "
                         f"({att.number.number}); the {field_prefix} body wins")
        if att.date and att.date.value and when and att.date.value != when:
            notes.append(f"{field_prefix} date differs between {field_prefix} ({when.isoformat()}) and {where} "
                         f"({att.date.value.isoformat()}); the {field_prefix} body wins")
    return number, when


def _title_and_period(layout: Layout, names: list[str], issue_year: int | None,
                      notes: list[str], sources: dict) -> dict:
    candidates = title_candidates(layout)
    title = None
    if candidates:
        rule, raw = candidates[0]
        title = compose_title(raw, layout, names)
        sources["title"] = rule
    else:
        notes.append("title not found")
    period = None
    for rule, raw in ([("title", title)] if title else []) + candidates:
        period = period_from_text(raw, issue_year)
        if period:
            sources["period_start"] = sources["period_end"] = rule
            break
    if period is None:
        notes.append("plan period not found")
    return {"title": title, "period_start": period[0] if period else None,
            "period_end": period[1] if period else None}


def extract_metadata(lines: list[str]) -> MetadataResult:
    """Metadata of one document from its body text lines (outside tables) in reading order."""
    layout = lines_to_layout(lines)
    notes: list[str] = []
    sources: dict[str, str] = {}
    number, _ = own_number(layout)
    place, own_date = own_place_date(layout)
    atts = attachments(layout)
    doc_type, sources["doc_type"] = _doc_type(layout, number, atts)

    fields: dict = {f: None for f in META_FIELDS}
    fields["doc_type"] = doc_type
    if doc_type == "plan":
        fields["plan_number"], fields["plan_date"] = _pick_number(
            number, own_date, atts, "plan", notes, sources, "plan")
    else:
        own = number if number is not None and load_vocab().number_types.get(match_key(number.type_code)) != "plan" else None
        fields["decision_number"], fields["decision_date"] = _pick_number(
            own, own_date if own is not None else None, atts, "decision", notes, sources, "decision")
    issue_date = fields["decision_date"] or fields["plan_date"]
    year = issue_date.year if issue_date else (own_date.year if own_date else None)
    fields.update(issuer_fields(layout, number, atts, place, year, notes, sources))
    names = [n for n in (fields["province"], fields["district"]) if n]
    names += sorted(set(province_mentions(layout, year)))
    fields.update(_title_and_period(layout, names, year, notes, sources))
    fields["signer"] = find_signer(layout)
    if fields["signer"]:
        sources["signer"] = "signature block"
    return MetadataResult(fields, notes, sources)
