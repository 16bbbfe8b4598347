"""Issuer, level, province and district fields from the issuing body found, with inferred names noted."""

from __future__ import annotations

from plantasks.parsers.metadata.issuer import Issuer, find_issuer
from plantasks.parsers.metadata.layout import Layout
from plantasks.parsers.metadata.numbers_dates import Attachment, DocNumber
from plantasks.parsers.metadata.places import match_province, most_common, named_unit_mentions, province_mentions, title_case_name


def issuer_fields(layout: Layout, number: DocNumber | None, atts: list[Attachment], place: str | None,
                  year: int | None, notes: list[str], sources: dict) -> dict:
    """The fields issuer, level, province, district; a place name the body does not print is inferred and noted."""
    issuer = find_issuer(layout, number, atts, year)
    if issuer is None:
        notes.append("issuer not found")
        return {"issuer": None, "level": None, "province": None, "district": None}
    sources["issuer"] = sources["level"] = issuer.rule
    if issuer.level in ("national", "ministry"):
        return {"issuer": issuer.body, "level": issuer.level, "province": None, "district": None}
    name, province = issuer.name, None
    if issuer.level == "province":
        if name is None:
            name = _inferred_province(layout, place, year, notes, sources)
        province = name
    elif issuer.level in ("district", "commune"):
        province = most_common(province_mentions(layout, year))
        sources["province"] = "province mentions (legal bases)"
        if name is None:
            name = _inferred_local_name(issuer, layout, place, notes)
        if issuer.level == "commune":
            _note_parent_district(layout, notes)
    district = name if issuer.level == "district" else None
    issuer_text = issuer.full_name or (f"{issuer.body} {issuer.unit} {name}" if name else f"{issuer.body} {issuer.unit}")
    return {"issuer": issuer_text, "level": issuer.level, "province": province, "district": district}


def _inferred_province(layout: Layout, place: str | None, year: int | None, notes: list[str], sources: dict) -> str | None:
    """A provincial body printed without its province: the place-date line's province, else the most named one."""
    province = _province_from_place(place) or most_common(province_mentions(layout, year))
    sources["province"] = "province mentions"
    notes.append(f"issuer name not printed with the body; province {province} inferred from the text")
    return province


def _inferred_local_name(issuer: Issuer, layout: Layout, place: str | None, notes: list[str]) -> str | None:
    """A district or commune body printed without its name: the place-date line, else the most named unit."""
    name = (title_case_name(place) if place else None) or most_common(named_unit_mentions(layout, issuer.unit or ""))
    notes.append(f"issuer name not printed with the body; {issuer.unit} {name} inferred")
    return name


def _note_parent_district(layout: Layout, notes: list[str]) -> None:
    parent = most_common(named_unit_mentions(layout, "huyện"))
    if parent:
        notes.append(f"commune issuer; the text names huyện {parent}")


def _province_from_place(place: str | None) -> str | None:
    if not place:
        return None
    prov = match_province(place.split())
    return prov[0].name if prov else None
