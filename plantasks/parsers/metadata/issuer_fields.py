"""Issuer, level, province and district fields from the issuing body found, with inferred names noted."""

from __future__ import annotations

from plantasks.parsers.metadata.issuer import attachment_issuer, body_issuer, header_issuer, number_issuer
from plantasks.parsers.metadata.layout import Layout
from plantasks.parsers.metadata.numbers_dates import Attachment, DocNumber
from plantasks.parsers.metadata.places import match_province, most_common, named_unit_mentions, province_mentions, title_case_name

def issuer_fields(layout: Layout, number: DocNumber | None, atts: list[Attachment], place: str | None,
                    year: int | None, notes: list[str], sources: dict) -> dict:
    issuer = (header_issuer(layout, year) or body_issuer(layout, year)
              or attachment_issuer(atts, year) or number_issuer(number))
    if issuer is None:
        notes.append("issuer not found")
        return {"issuer": None, "level": None, "province": None, "district": None}
    sources["issuer"] = sources["level"] = issuer.rule
    if issuer.level in ("national", "ministry"):
        return {"issuer": issuer.body, "level": issuer.level, "province": None, "district": None}
    name, level = issuer.name, issuer.level
    provinces = province_mentions(layout, year)
    province = name if level == "province" else None
    district = name if level == "district" else None
    if level == "province" and name is None:
        province = _province_from_place(place) or most_common(provinces)
        name = province
        sources["province"] = "province mentions"
        notes.append(f"issuer name not printed with the body; province {province} inferred from the text")
    if level in ("district", "commune"):
        province = most_common(provinces)
        sources["province"] = "province mentions (legal bases)"
        if name is None:
            name = _place_name(place) or most_common(named_unit_mentions(layout, issuer.unit or ""))
            if level == "district":
                district = name
            notes.append(f"issuer name not printed with the body; {issuer.unit} {name} inferred")
        if level == "commune":
            parent = most_common(named_unit_mentions(layout, "huyện"))
            if parent:
                notes.append(f"commune issuer; the text names huyện {parent}")
    issuer_text = issuer.full_name or (f"{issuer.body} {issuer.unit} {name}" if name else f"{issuer.body} {issuer.unit}")
    return {"issuer": issuer_text, "level": level, "province": province, "district": district}


def _province_from_place(place: str | None) -> str | None:
    if not place:
        return None
    prov = match_province(place.split())
    return prov[0].name if prov else None


def _place_name(place: str | None) -> str | None:
    return title_case_name(place) if place else None
