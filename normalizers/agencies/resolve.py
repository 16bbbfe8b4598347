"""An agency cell -> lead and support lists of `Agency` (GOLD_SPEC "Agency canonical names").

Stages, each a small function:
  cell_to_lines      clean text, one bullet per line
  line_to_parts      labels ("Cơ quan phối hợp:"), "X: Y" clauses, ';' segments, "phối hợp với"
  part_to_hits       comma pieces joined back where the registry knows the longer name, shared
                     heads ("Các Sở: A, B"), sub-units with their parent, fuzzy, free-text spotting
  hits_to_agencies   successors, duplicates removed, flags
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from plantasks.normalizers.agencies import split
from plantasks.normalizers.agencies.match import (
    Hit, match_exact, match_fuzzy, match_named_locality, plan_level, unknown,
)
from plantasks.normalizers.agencies.normalize import keyed
from plantasks.normalizers.agencies.registry import Registry, load_registry
from plantasks.normalizers.agencies.rules import AgencyRules, load_rules
from plantasks.normalizers.agencies.split import Part, Role
from plantasks.normalizers.context import PlanContext
from plantasks.normalizers.pos import first_tag
from plantasks.normalizers.text import clean_cell
from plantasks.schemas import Agency

Column = Literal["lead", "support", "performer", "lead_support"]
MAX_JOINED_PIECES = 8
MAX_FUZZY_PIECES = 4
POS_WINDOW = 8  # words given to the part-of-speech tagger
LONGER_SPAN_MARGIN = 4  # a damaged longer name replaces an intact shorter one only when clearly closer

FLAG_UNKNOWN = "agency_unknown"
FLAG_FUZZY = "agency_fuzzy"
FLAG_DROPPED = "agency_not_a_name"  # kept whole as an unknown mention, but it reads as a clause


@dataclass(frozen=True)
class Options:
    """Switches for measuring the parts that are not plain look-ups."""

    spot: bool = True     # spaCy PhraseMatcher over free text
    fuzzy: bool = True    # rapidfuzz for OCR damage
    pos_filter: bool = True  # underthesea part of speech: a lone leftover is kept only if a noun phrase


@dataclass
class AgencyCellResult:
    lead: list[Agency] = field(default_factory=list)
    support: list[Agency] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Env:
    ctx: PlanContext
    registry: Registry
    rules: AgencyRules
    options: Options


@dataclass
class _Found:
    hits: list[Hit] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def resolve_agencies(cell: str, column: Column, ctx: PlanContext, as_of: date | None = None,
                     options: Options = Options()) -> AgencyCellResult:
    env = _Env(ctx, load_registry(), load_rules(), options)
    if column == "lead_support":
        return _lead_slash_support(cell, env, as_of)
    lines = join_broken_names(cell_to_lines(cell, env.rules), env)
    parts = [p for line in lines for p in line_to_parts(line, column, env)]
    lead: list[Hit] = []
    support: list[Hit] = []
    flags: list[str] = []
    sticky_role: Role = "support" if column == "support" else "lead"
    for part in _with_sticky_roles(parts, column, sticky_role):
        found = part_to_hits(part.text, env)
        (lead if part.role == "lead" else support).extend(found.hits)
        if found.dropped:
            flags.append(FLAG_DROPPED)
    day = as_of or ctx.vocabulary_date  # successors: at the date the user asked for, else the plan's
    result = AgencyCellResult(
        lead=hits_to_agencies(lead, env.registry, day),
        support=hits_to_agencies(support, env.registry, day),
    )
    for agency in result.lead + result.support:
        if agency.match == "none":
            flags.append(FLAG_UNKNOWN)
        elif agency.match == "fuzzy":
            flags.append(FLAG_FUZZY)
    result.flags = list(dict.fromkeys(flags + []))
    return result


def _lead_slash_support(cell: str, env: _Env, as_of: date | None) -> AgencyCellResult:
    """A 'Chủ trì/Phối hợp' column: the bodies before the first slash between two names lead, those after it
    support ('Sở Tư pháp/Các sở, ngành'); a slash inside a known name ('Văn phòng HĐND/UBND huyện') is no
    divide. Without a divide the cell is read as a performer cell (labels and verbs, else lead)."""
    for at in split.slash_links(cell, env.rules):
        name = re.split(r"[,;\n]", cell[:at])[-1] + "/" + re.split(r"[,;\n]", cell[at + 1:])[0]
        if match_exact(split.trim(name), env.ctx, env.registry, env.rules) is None:
            lead = resolve_agencies(cell[:at], "lead", env.ctx, as_of, env.options)
            support = resolve_agencies(cell[at + 1:], "support", env.ctx, as_of, env.options)
            return AgencyCellResult(lead.lead + lead.support, support.lead + support.support,
                                    list(dict.fromkeys(lead.flags + support.flags)))
    return resolve_agencies(cell, "performer", env.ctx, as_of, env.options)


# ------------------------------------------------------------------ cell -> lines -> parts

def cell_to_lines(cell: str, rules: AgencyRules) -> list[str]:
    text = split.split_before_labels(clean_cell(cell), rules)
    out: list[list[str]] = []
    for raw in text.split("\n"):
        if not any(ch.isalnum() for ch in raw):
            continue  # a line of marks only (a speck read as ':' between two halves of a name)
        line = split.strip_bullet(raw)
        if line and out and line == raw.strip() and split.continues_line(out[-1][-1], line, rules):
            out[-1].append(line)  # a name hard-wrapped inside the cell ("Ủy ban" / "nhân dân …")
        elif line:
            out.append([line])
    return [" ".join(parts) for parts in out]


def join_broken_names(lines: list[str], env: _Env) -> list[str]:
    """A name cut by a page or line break and read as a bullet ('Văn phòng HĐND' / '- UBND huyện: …')
    is joined back when the two halves make one registry name ('Văn phòng HĐND - UBND huyện'); so is
    a name wrapped before a capitalised word ('các Ủy ban khác của' / 'Quốc hội') or cut after a
    mark that closes no name ('Ủy ban Quốc phòng, An ninh và Đối.' / 'ngoại': a speck read as a
    full stop) when the halves make one and the first half alone is none."""
    out: list[str] = []
    for line in lines:
        if out:
            tail = split.trim(re.split(r"[,;]", out[-1])[-1])
            head = split.trim(re.split(r"[,;:]", line)[0])
            if tail and head and match_exact(f"{tail} - {head}", env.ctx, env.registry, env.rules) is not None:
                out[-1] = f"{out[-1]} - {line}"
                continue
            last = out[-1].split(";")[-1].rstrip().rstrip(".:").rstrip()
            cuts = (last.strip(), split.trim(last.split(",")[-1]))  # a name with commas, or the last of a list
            if head and any(cut and match_exact(cut, env.ctx, env.registry, env.rules) is None
                            and match_exact(f"{cut} {head}", env.ctx, env.registry, env.rules) is not None
                            for cut in cuts):
                out[-1] = f"{out[-1].rstrip().rstrip('.:').rstrip()} {line}"
                continue
        out.append(line)
    return out


@dataclass(frozen=True)
class _Labelled(Part):
    label: Role | None = None  # a label opened this part (sticky for later lines)


def line_to_parts(line: str, column: Column, env: _Env) -> list[_Labelled]:
    label, rest = split.split_label(line, env.rules)
    out: list[_Labelled] = []
    for i, text in enumerate(clause_texts(rest, env)):
        out.extend(_segment_parts(text, column, env, label if i == 0 else None))
    if label is not None and not out:
        out.append(_Labelled("", "lead", label))
    return out


def clause_texts(text: str, env: _Env) -> list[str]:
    """Resolve "X: Y" clauses. Y names agencies -> X is a label, keep Y ('Cơ quan thẩm định: Sở A',
    'Chỉ số cấp xã: UBND cấp huyện'); else Y says what X does -> keep X, and whatever follows Y's
    first ';' ('Sở Nội vụ: hướng dẫn; Sở Tư pháp: phối hợp')."""
    head, tail = split.split_colon(text)
    if tail is None:
        return [text]
    if _shared_head(head, env.rules):
        return [f"{head}: {tail}"]
    if not tail:
        return [head]
    if _starts_like_agency(tail, env):
        return clause_texts(tail, env)
    clause, sep, after = tail.partition(";")
    return [head, *(clause_texts(after.strip(), env) if sep and after.strip() else [])]


def _segment_parts(text: str, column: Column, env: _Env, label: Role | None) -> list[_Labelled]:
    out: list[_Labelled] = []
    segments = []
    for sentence in split.split_sentences(text):  # a sentence end closes a shared head's list
        shared = _shared_head(split.split_colon(sentence)[0], env.rules)
        segments += [sentence] if shared else split.split_semicolons(sentence)
    for segment in segments:
        segment = split.strip_bullet(segment)
        role: Role = "support" if column == "support" else "lead"
        clauses = split.role_clauses(segment, env.rules) if column == "performer" else [(segment, False)]
        for clause, cooperating in clauses:
            before, after = split.split_support_opener(clause, env.rules)
            out.append(_Labelled(before, "support" if cooperating else role, label if not out else None))
            if after is not None:
                out.append(_Labelled(after, "support" if column == "performer" else role, None))
    return out


def _with_sticky_roles(parts: list[_Labelled], column: Column, start: Role) -> list[Part]:
    """In a performer column a label's role lasts until the next label; 'phối hợp với' parts stay support."""
    if column != "performer":
        return [Part(p.text, p.role) for p in parts if p.text]
    out, sticky = [], start
    for p in parts:
        if p.label is not None:
            sticky = p.label
        role = "support" if p.role == "support" else sticky
        if p.text:
            out.append(Part(p.text, role))
    return out


def _starts_like_agency(text: str, env: _Env) -> bool:
    first = split.split_commas(split.strip_bullet(split.split_semicolons(text)[0] if split.split_semicolons(text) else ""))
    if not first:
        return False
    piece = split.split_colon(first[0])[0]
    if split.starts_with_phrase(piece, env.rules.head_words):
        return True
    return match_exact(piece, env.ctx, env.registry, env.rules) is not None


def _shared_head(head: str, rules: AgencyRules) -> str | None:
    """'Các Sở' / 'các phòng' -> 'sở' / 'phòng' when the head is only a plural class noun."""
    words = split.trim(split.strip_bullet(head)).lower()
    if words.startswith("các "):
        words = words[4:]
    return words if words in rules.shared_heads else None


# ------------------------------------------------------------------ part -> hits

def part_to_hits(text: str, env: _Env) -> _Found:
    renamed = split.renaming(text, env.rules)
    if renamed is not None:
        return _renamed_to_hits(text, renamed, env)
    head, tail = split.split_colon(text)
    shared = _shared_head(head, env.rules) if tail else None
    body = tail.replace(";", ",") if shared and tail else text  # "Các sở: Y tế; Tư pháp" lists under one head
    outer, inner = split.parentheticals(split.slashes_as_commas(split.without_scope(body, env.rules), env.rules))
    pieces = split.without_role_appositions(split.split_commas(split.drop_repeats(outer), env.rules), env.rules)
    found = pieces_to_hits(pieces, env, shared)
    found.hits = _prefer_parent_in_parentheses(found.hits, outer, inner, env)
    found.hits = _drop_subunits_before_parent(found.hits, env)
    return found


def _renamed_to_hits(text: str, renamed: tuple[int, int, str], env: _Env) -> _Found:
    """'Sở A (nay là Sở B), Sở C': the body named before the group is Sở B, by its present name."""
    start, end, present = renamed
    before = part_to_hits(text[:start], env)
    after = part_to_hits(text[end:], env) if split.trim(text[end:]) else _Found()
    now = part_to_hits(present, env)
    if before.hits:
        before.hits[-1:] = now.hits
    return _Found(before.hits + after.hits, before.dropped + now.dropped + after.dropped)


@dataclass
class _Mention:
    """A mention being read: a hit, or (hit None) an unknown name; `parts` is its printed text, kept
    as pieces so that a long run of continuations is joined once (linear in the cell's length)."""

    hit: Hit | None
    parts: list[str]

    @classmethod
    def of(cls, hit: Hit) -> "_Mention":
        return cls(hit if hit.entry is not None else None, [hit.text])

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0]

    def done(self, env: _Env) -> Hit:
        if self.hit is None:
            return _unknown(self.text, env)
        return Hit(self.text, self.hit.entry, self.hit.how, self.hit.score, self.hit.name)


def pieces_to_hits(pieces: list[str], env: _Env, inherited_head: str | None = None) -> _Found:
    """Comma pieces -> mentions. Known names (the longest run of pieces the registry knows, a shared
    head distributed over the pieces after it) become hits; what the registry does not know is kept
    whole: a run of bare class nouns ("Viện, Trường") is one class, a piece with no head word of its
    own continues the unknown name before it ("Vụ Kế hoạch, Tài chính"), a lone tier ("cấp xã")
    repeats the mention before it at that tier, a qualifier ("liên quan") stays with its mention."""
    found = _Found()
    items: list[_Mention] = []
    head = inherited_head
    i = 0
    while i < len(pieces):
        hit, j = _longest_known(pieces, i, head, env)
        if env.options.fuzzy and (hit is None or _orphan_follows(pieces, j, head, env)):
            fuzzy, jf = _best_fuzzy(pieces, i, head, env, longer_than=j if hit else i)
            if fuzzy is not None and (hit is None or fuzzy.score >= env.rules.fuzzy_cutoff + LONGER_SPAN_MARGIN):
                hit, j = fuzzy, jf
        run_end = _class_noun_run(pieces, i, env)
        if run_end > max(j, i + 1):  # "Hội, Hiệp hội": one class, not the group "Hội" + a leftover
            items.append(_Mention(None, [split.join_pieces(pieces, i, run_end)]))
            i = run_end
            continue
        if hit is not None:
            items.append(_Mention.of(hit))
            head = split.starts_with_phrase(pieces[i], env.rules.shared_heads) or head
            i = j
            continue
        piece = pieces[i]
        i += 1
        sub = _sub_split(piece, env) or []
        if not sub and split.is_role_only(piece, env.rules):
            continue
        if not sub and env.options.spot:
            sub = _spot(piece, env)
        if sub:
            items.extend(_Mention.of(h) for h in sub)
            continue
        _attach_unknown(items, piece, env)
    found.hits = [m.done(env) for m in items]
    found.dropped = [h.text for h in found.hits if h.entry is None and not _names_something(h.text, env)]
    return found


def _attach_unknown(items: list[_Mention], piece: str, env: _Env) -> None:
    """A piece nothing matched: a new mention, or the continuation of the mention before it."""
    prev = items[-1] if items else None
    rules = env.rules
    link = getattr(piece, "link", ", ") or ", "
    if prev is not None and split.starts_with_phrase(piece, rules.mention_qualifiers):
        prev.parts += [link, piece]
        return
    tier = split.starts_with_phrase(piece, rules.tiers)
    if prev is not None and tier and split.trim(piece).lower() == tier:
        base = _without_tier(prev.text, rules)
        if base is not None:
            text = f"{base} {split.trim(piece)}"
            hit = match_exact(text, env.ctx, env.registry, rules)
            items.append(_Mention.of(hit) if hit else _Mention(None, [_peeled(text, env)]))
            return
    if prev is not None and prev.hit is None and not split.starts_with_phrase(piece, rules.head_words):
        prev.parts += [link, _peeled(piece, env)]
        return
    items.append(_Mention(None, [_peeled(piece, env)]))


def _unknown(text: str, env: _Env) -> Hit:
    """A mention the registry does not know, as printed. In a provincial plan a body written
    'X cấp tỉnh' is the province's own body, named 'X tỉnh' (GOLD_SPEC)."""
    hit = unknown(text, env.rules)
    if plan_level(env.ctx) == "province" and hit.name.endswith(f" {env.rules.own_tier[0]}"):
        name = hit.name[: -len(env.rules.own_tier[0])] + env.rules.own_tier[1]
        return Hit(hit.text, None, "none", 0.0, name)
    return hit


def _without_tier(text: str, rules: AgencyRules) -> str | None:
    """'Ban Chỉ huy Quân sự cấp tỉnh' -> 'Ban Chỉ huy Quân sự' (the mention without its last tier)."""
    low = text.lower()
    for tier in rules.tiers:
        pos = low.rfind(" " + tier)
        if pos > 0 and low[pos + 1 + len(tier):].strip(" ,.;") == "":
            return text[:pos]
    return None


def _class_noun_run(pieces: list[str], i: int, env: _Env) -> int:
    """End of a run of bare class nouns starting at i ('Viện, Trường', 'Hội, Hiệp hội'); the last
    may carry lower-case words that qualify the whole class ('Các tập đoàn, tổng công ty nhà nước')."""
    j = i
    while j < len(pieces):
        word = pieces[j].lower()
        if j == i and word.startswith("các "):
            word = word[4:]
        if word not in env.rules.class_nouns:
            noun = split.starts_with_phrase(word, _longest_first(env.rules.class_nouns)) if j > i else None
            rest = pieces[j][len(noun):] if noun else ""
            if rest.strip() and rest == rest.lower():
                j += 1
            break
        j += 1
    return j


@functools.cache
def _longest_first(phrases: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


def _names_something(text: str, env: _Env) -> bool:
    """An unknown mention is a noun phrase ('Người dân') or a clause ('Theo phân công', 'Thực hiện
    rà soát'); underthesea tags the first word. A clause is kept whole too, but flagged for a look."""
    if not env.options.pos_filter:
        return True
    return first_tag(" ".join(text.split()[:POS_WINDOW])) in env.rules.noun_tags  # a bounded window


def _peeled(text: str, env: _Env) -> str:
    """Role words off an unknown mention, unless that leaves a bare head ('Hội đồng thẩm định')."""
    peeled = split.role_word_variants(text, env.rules)[-1]
    if not peeled or peeled.lower() in env.rules.head_words:
        return split.trim(text)
    return peeled


def _variants(pieces: list[str], i: int, j: int, head: str | None, env: _Env) -> list[str]:
    joined = split.join_pieces(pieces, i, j)
    out = split.role_word_variants(joined, env.rules)
    if head and not split.starts_with_phrase(pieces[i], env.rules.shared_heads):
        out += split.role_word_variants(f"{head} {joined}", env.rules)
    out += [c for v in out if (c := split.without_clause(v, env.rules))]
    out += [q for v in out if (q := split.without_qualifier(v, env.rules))]
    out += [q for v in out if (q := split.without_subset(v, env.rules))]
    out += [t for v in out if (t := split.locality_list_as_tier(v, env.rules))]
    return [v for v in out if v]


def _longest_known(pieces: list[str], i: int, head: str | None, env: _Env) -> tuple[Hit | None, int]:
    for j in range(min(len(pieces), i + MAX_JOINED_PIECES), i, -1):
        for text in _variants(pieces, i, j, head, env):
            hit = match_exact(text, env.ctx, env.registry, env.rules) or match_named_locality(text, env.ctx, env.rules)
            if hit is not None:
                return _printed(hit, pieces, i, j), j
    return None, i


def _orphan_follows(pieces: list[str], j: int, head: str | None, env: _Env) -> bool:
    """The piece after a known name matches nothing alone: maybe the name was longer but damaged."""
    if j >= len(pieces) or split.is_role_only(pieces[j], env.rules):
        return False
    return _longest_known(pieces, j, head, env)[0] is None


def _best_fuzzy(pieces: list[str], i: int, head: str | None, env: _Env,
                longer_than: int) -> tuple[Hit | None, int]:
    best: tuple[Hit, int] | None = None
    for j in range(min(len(pieces), i + MAX_FUZZY_PIECES), longer_than, -1):
        for text in _variants(pieces, i, j, head, env):
            hit = match_fuzzy(text, env.ctx, env.registry, env.rules)
            if hit is not None and (best is None or hit.score > best[0].score):
                best = (_printed(hit, pieces, i, j), j)
    return best if best else (None, i)


def _printed(hit: Hit, pieces: list[str], i: int, j: int) -> Hit:
    return Hit(split.join_pieces(pieces, i, j), hit.entry, hit.how, hit.score, hit.name)


def _sub_split(piece: str, env: _Env) -> list[Hit]:
    """'UBND cấp xã - Các cơ quan liên quan', 'Sở A và Sở B': every side a known name. Two sides of a
    dash, a known body and an unknown sub-unit ('Sở Nội vụ - Phòng Cải cách hành chính', either
    order), are the body, as 'Sở Nội vụ (Phòng …)' is."""
    for sep in (" - ", " – ", " và ", " với ", " + "):
        sides = [split.trim(s) for s in piece.split(sep)]
        if len(sides) < 2 or not all(sides):
            continue
        hits = [match_exact(s, env.ctx, env.registry, env.rules) for s in sides]
        if all(hits):
            return [h for h in hits if h is not None]
        known = [h for h in hits if h is not None]
        if sep.strip() in "-–" and len(sides) == 2 and len(known) == 1 and known[0].entry.kind == "agency" \
                and _names_a_subunit(sides[hits.index(None)], env):
            return [Hit(piece, known[0].entry, known[0].how, known[0].score, known[0].name)]
    return []


def _spot(piece: str, env: _Env) -> list[Hit]:
    from plantasks.normalizers.agencies.spot import spot

    text = keyed(piece, env.rules)
    subunit = split.starts_with_phrase(piece, env.rules.subunit_heads) is not None
    hits = []
    found = spot(text, plan_level(env.ctx), env.registry, env.rules, keep_qualified=subunit)
    spans = [(text.tokens[s.first].start, text.tokens[s.last - 1].end) for s in found]
    if not (_only_roles_between(piece, spans, env) or (subunit and _subunit_of(piece, spans, env))):
        return []  # "Tổ công tác do Thủ tướng Chính phủ thành lập" names its own body: kept whole
    for s in found:
        entry = env.registry.entries[s.entry_id]
        printed = text.span_text(s.first, s.last)
        how = "exact" if env.registry.is_canonical(entry, printed) else "alias"
        hits.append(Hit(printed, entry, how, 100.0, entry.name))
    return hits


def _only_roles_between(piece: str, spans: list[tuple[int, int]], env: _Env) -> bool:
    """The text around the spotted names is role words and links only ('Giao … làm đầu mối')."""
    if not spans:
        return False
    text = keyed(piece, env.rules).text
    edges = [0, *[p for s in spans for p in s], len(text)]
    for start, end in zip(edges[::2], edges[1::2]):
        gap = split.trim(text[start:end])
        if gap and not split.is_role_only(gap, env.rules) and gap.lower() not in env.rules.links:
            return False
    return True


def _subunit_of(piece: str, spans: list[tuple[int, int]], env: _Env) -> bool:
    """'Tổ giúp việc của Sở Nội vụ': a sub-unit named with its parent counts as the parent."""
    if len(spans) != 1 or split.trim(piece[spans[0][1]:]):
        return False
    before = piece[:spans[0][0]].lower().split()
    return any(before[-len(q.split()):] == q.split() for q in env.rules.qualifier_words)


def _prefer_parent_in_parentheses(hits: list[Hit], outer: str, inner: list[str], env: _Env) -> list[Hit]:
    """'Cổng TTĐT (Văn phòng UBND tỉnh)' -> the office; 'Văn phòng UBND tỉnh (Cổng TTĐT)' stays; a role
    named before the body that holds it ('Cơ quan thường trực Ban Chỉ đạo (Sở Nội vụ)') -> the body."""
    if len(hits) != 1:
        return hits
    main = hits[0]
    role = split.starts_with_phrase(outer, env.rules.role_appositions) is not None
    for text in inner:
        paren = match_exact(text, env.ctx, env.registry, env.rules)
        if paren is None or paren.entry is None:
            continue
        if main.entry is None or main.entry.parent == paren.entry.id or role:
            return [Hit(main.text, paren.entry, paren.how, paren.score, paren.name)]
    return hits


def _drop_subunits_before_parent(hits: list[Hit], env: _Env) -> list[Hit]:
    """'Trung tâm lưu trữ lịch sử, Sở Nội vụ' counts as Sở Nội vụ."""
    out: list[Hit] = []
    carried: list[str] = []  # printed sub-unit names, kept in the parent's printed text
    for k, hit in enumerate(hits):
        nxt = hits[k + 1] if k + 1 < len(hits) else None
        if nxt is not None and nxt.entry is not None:
            if hit.entry is not None and hit.entry.parent == nxt.entry.id:
                carried.append(hit.text)
                continue
            if hit.entry is None and nxt.entry.kind == "agency" and _names_a_subunit(hit.text, env):
                carried.append(hit.text)
                continue
        if carried:
            hit = Hit(", ".join([*carried, hit.text]), hit.entry, hit.how, hit.score, hit.name)
            carried = []
        out.append(hit)
    return out


def _names_a_subunit(text: str, env: _Env) -> bool:
    """'Trung tâm lưu trữ lịch sử' names a unit; 'Viện, Trường' (bare class nouns) names a class."""
    if not split.starts_with_phrase(text, env.rules.subunit_heads):
        return False
    return not all(p.strip().lower() in env.rules.class_nouns for p in text.split(","))


# ------------------------------------------------------------------ hits -> agencies

def hits_to_agencies(hits: list[Hit], registry: Registry, day: date | None) -> list[Agency]:
    first: dict[str, Hit] = {}
    printed: dict[str, list[str]] = {}
    for hit in hits:  # one entry per body; a repeated mention's printed text stays with the first
        key = hit.name.casefold()
        first.setdefault(key, hit)
        if hit.text not in printed.setdefault(key, []):
            printed[key].append(hit.text)
    return [hit_to_agency(Hit("; ".join(printed[k]), h.entry, h.how, h.score, h.name), registry, day)
            for k, h in first.items()]


def hit_to_agency(hit: Hit, registry: Registry, day: date | None) -> Agency:
    entry = hit.entry
    if entry is None:
        return Agency(text=hit.text, name=hit.name, kind="unknown", match="none", score=0.0)
    successor = registry.successor(entry, day) if day is not None else None
    return Agency(
        text=hit.text, name=hit.name, id=entry.id, kind=entry.kind,  # type: ignore[arg-type]
        match=hit.how, score=hit.score, successor=successor.name if successor else None,
    )
