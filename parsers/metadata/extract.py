"""extract_metadata: the stages in order, the document type, own numbers against attachment lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from plantasks.normalizers.vietnamese import match_key
from plantasks.parsers.metadata.issuer_fields import issuer_fields
from plantasks.parsers.metadata.layout import Layout, lines_to_layout
from plantasks.parsers.metadata.numbers_dates import Attachment, DocDate, DocNumber, attachments, own_number, own_place_date
from plantasks.parsers.metadata.issuer import conveys_national
from plantasks.parsers.metadata.period import first_task_year, horizon_end, period_from_text
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


def extract_metadata(lines: list[str], deadline_cells: list[str] = ()) -> MetadataResult:
    """Metadata of one document from its body text lines (outside tables) in reading order; the
    time cells of its task rows give the first year its tasks run (the period when the title names none)."""
    layout = lines_to_layout(lines)
    notes: list[str] = []
    sources: dict[str, str] = {}
    number, _ = own_number(layout)
    place, own_date = own_place_date(layout)
    atts = attachments(layout)
    fields: dict = {f: None for f in META_FIELDS}
    fields["doc_type"], sources["doc_type"] = _doc_type(layout, number, atts)
    fields.update(_number_and_date(fields["doc_type"], number, own_date, atts, notes, sources))
    issue_date = fields["decision_date"] or fields["plan_date"]
    year = issue_date.year if issue_date else (own_date.year if own_date else None)
    fields.update(issuer_fields(layout, number, atts, place, year, notes, sources))
    names = [n for n in (fields["province"], fields["district"]) if n]
    names += sorted(set(province_mentions(layout, year)))
    fields.update(_title_and_period(layout, names, year, first_task_year(deadline_cells), notes, sources))
    if fields["level"] == "ministry" and conveys_national(fields["issuer"], fields["title"]):
        fields["level"] = "national"
        sources["level"] = "conveys a national body's conclusions"
    fields["signer"] = find_signer(layout)
    if fields["signer"]:
        sources["signer"] = "signature block"
    return MetadataResult(fields, notes, sources)


def _number_kind(number: DocNumber | None) -> str | None:
    """The document type its number's type code names ('QĐ' -> decision, 'KH' -> plan)."""
    return load_vocab().number_types.get(match_key(number.type_code)) if number is not None else None


def _doc_type(layout: Layout, number: DocNumber | None, atts: list[Attachment]) -> tuple[str, str]:
    kind = _number_kind(number)
    if kind:
        return kind, "own number type"
    if layout.decision_heading is not None:
        return "decision", "decision heading"
    if any(a.kind == "decision" and not a.in_appendix for a in atts):
        return "decision", "attached to a decision"
    if layout.plan_heading is not None:
        return "plan", "plan heading"
    # a notice, letter or resolution without a plan heading sets the tasks itself (GOLD_SPEC)
    return "decision", "no plan heading"


def _number_and_date(doc_type: str, number: DocNumber | None, own_date: DocDate | None, atts: list[Attachment],
                     notes: list[str], sources: dict) -> dict:
    """plan_number/plan_date of a plan; decision_number/decision_date of a decision, whose own line
    counts only when it is not a plan number."""
    if doc_type == "plan":
        found, when = _pick_number(number, own_date, atts, "plan", notes, sources)
        return {"plan_number": found, "plan_date": when}
    own = number if _number_kind(number) != "plan" else None
    found, when = _pick_number(own, own_date if own is not None else None, atts, "decision", notes, sources)
    return {"decision_number": found, "decision_date": when}


def _pick_number(own: DocNumber | None, own_date: DocDate | None, atts: list[Attachment], kind: str,
                 notes: list[str], sources: dict) -> tuple[str | None, date | None]:
    """Own number/date win; attachment lines fill in when the own line is missing, and a
    disagreement between them is noted."""
    same_kind = [a for a in atts if a.kind == kind]
    if own is not None:
        number, when = _from_own_line(own, own_date, kind, notes, sources)
    elif same_kind:
        number, when = _from_attachment(same_kind[0], kind, notes, sources)
    else:
        number, when = None, None
    notes += _disagreements(number, when, same_kind, kind)
    return number, when


def _from_own_line(own: DocNumber, own_date: DocDate | None, kind: str, notes: list[str],
                   sources: dict) -> tuple[str | None, date | None]:
    sources[f"{kind}_number"] = "own number line"
    sources[f"{kind}_date"] = "own place-date line"
    if own.number is None:
        notes.append(f"{kind} number blank in the source (unsigned draft)")
    if own_date is not None and own_date.value is None:
        notes.append(f"{kind} date blank in the source (unsigned draft)")
    return own.number, own_date.value if own_date else None


def _from_attachment(att: Attachment, kind: str, notes: list[str], sources: dict) -> tuple[str | None, date | None]:
    sources[f"{kind}_number"] = sources[f"{kind}_date"] = "ban hành kèm theo line"
    notes.append(f"{kind} number and date taken from the 'kèm theo' line (no own number line)")
    return att.number.number, att.date.value if att.date else None


def _disagreements(number: str | None, when: date | None, atts: list[Attachment], kind: str) -> list[str]:
    """Notes for attachment lines giving another number or date than the one kept."""
    notes = []
    for att in atts:
        where = "appendix header" if att.in_appendix else "plan sub-heading"
        if att.number.number and number and att.number.number != number:
            notes.append(f"{kind} number differs between {kind} ({number}) and {where} "
                         f"({att.number.number}); the {kind} body wins")
        if att.date and att.date.value and when and att.date.value != when:
            notes.append(f"{kind} date differs between {kind} ({when.isoformat()}) and {where} "
                         f"({att.date.value.isoformat()}); the {kind} body wins")
    return notes


def _title_and_period(layout: Layout, names: list[str], issue_year: int | None, task_year: int | None,
                      notes: list[str], sources: dict) -> dict:
    candidates = title_candidates(layout)
    title = None
    if candidates:
        rule, raw = candidates[0]
        title = compose_title(raw, layout, names)
        sources["title"] = rule
    else:
        notes.append("title not found")
    start = task_year or issue_year
    period = _period(([("title", title)] if title else []) + candidates, start, sources)
    end = horizon_end(layout.keys, layout.body_start, layout.appendix_start, start) if period is None and start else None
    if end is not None:
        period = (start, end)
        sources["period_start"] = "first deadline year" if task_year else "issue year"
        sources["period_end"] = "horizon stated in the body"
        notes.append("plan period: the horizon the plan states in its body, from the first year its tasks run")
    elif period is None and task_year:
        period = (task_year, task_year)
        sources["period_start"] = sources["period_end"] = "first deadline year"
        notes.append("plan period not stated: the first year the tasks run, from their deadlines")
    elif period is None and issue_year:
        period = (issue_year, issue_year)
        sources["period_start"] = sources["period_end"] = "issue year"
        notes.append("plan period not stated: the year of issue taken as the first year the tasks run")
    if period is None:
        notes.append("plan period not found")
    return {"title": title, "period_start": period[0] if period else None,
            "period_end": period[1] if period else None}


def _period(candidates: list[tuple[str, str]], issue_year: int | None, sources: dict) -> tuple[int, int] | None:
    """The period named by the first title candidate that names one (the composed title first)."""
    for rule, raw in candidates:
        period = period_from_text(raw, issue_year)
        if period:
            sources["period_start"] = sources["period_end"] = rule
            return period
    return None
