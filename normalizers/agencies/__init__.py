"""Canonical agency names for lead/support cells (GOLD_SPEC "Agency canonical names").

    from plantasks.normalizers.agencies import resolve_agencies
    res = resolve_agencies("- Sở KH&ĐT;\n- UBND các huyện, thị xã, thành phố", "support", ctx)
    [a.name for a in res.support]  # ['Sở Kế hoạch và Đầu tư', 'Ủy ban nhân dân cấp huyện']

The registry is data/agencies.yaml, the reading rules data/agency_rules.yaml.
"""

from plantasks.normalizers.agencies.registry import Entry, Registry, load_registry
from plantasks.normalizers.agencies.resolve import AgencyCellResult, Options, resolve_agencies

__all__ = ["AgencyCellResult", "Entry", "Options", "Registry", "load_registry", "resolve_agencies"]
