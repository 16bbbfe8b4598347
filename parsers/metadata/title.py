"""The plan title: plan heading, decision title or article 1, in sentence case."""

from __future__ import annotations

import re
from collections import Counter
from itertools import repeat

from plantasks.parsers.metadata.issuer import LOCAL_MENTION, central_issuer
from plantasks.parsers.metadata.layout import BODY_START, SPACES, Layout, aligned_key, is_upper_line
from plantasks.normalizers.text import fold, sentence_case
from plantasks.parsers.metadata.vocab import load_vocab

_ROMAN_HEAD = re.compile(r"^(?:[ivxl]+|\d+)[.)]\s")


def _strip_lead_in(key: str) -> int:
    """Length of the lead-in ('ban hành', 'về việc ban hành') at the start of a title key."""
    for lead in load_vocab().title_lead_ins:
        if key.startswith(lead + " "):
            return len(lead) + 1
    return 0


def _title_stop(key: str, line: str) -> bool:
    vocab = load_vocab()
    if BODY_START.match(key) or key.startswith("(") or re.match(r"điều\s+\d", key):
        return True
    if LOCAL_MENTION.match(line) or central_issuer(key):
        return True
    return any(key.startswith(t + " ") or key == t for t in vocab.authority_titles)


def decision_title(layout: Layout) -> str | None:
    if layout.decision_heading is None:
        return None
    parts = []
    for i in range(layout.decision_heading + 1, min(layout.decision_heading + 5, len(layout.lines))):
        if _title_stop(layout.keys[i], layout.lines[i]) or len(layout.lines[i]) > 250:
            break
        if parts and is_upper_line(parts[-1]) and not is_upper_line(layout.lines[i]):
            break  # an upper-case title ends where running text begins
        parts.append(layout.lines[i])
    return " ".join(parts) or None


def plan_heading_title(layout: Layout) -> str | None:
    i = layout.plan_heading
    if i is None:
        return None
    parts = [layout.lines[i]]
    single = layout.keys[i] in load_vocab().plan_title_heads
    for j in range(i + 1, min(i + 4, len(layout.lines))):
        key, line = layout.keys[j], layout.lines[j]
        first_after_bare = single and j == i + 1 and not key.startswith("(")
        if not first_after_bare and (_title_stop(key, line) or _ROMAN_HEAD.match(key) or len(line) > 250):
            break
        continues = line[:1].islower() and not parts[-1].rstrip().endswith((".", ";", ":"))
        if not single and not is_upper_line(line) and not continues:
            break
        if len(parts) > 1 and is_upper_line(line) and not is_upper_line(parts[-1]):
            break  # a heading in capitals after a title in running case ("PHỤ LỤC …")
        parts.append(line)
        single = False
    return " ".join(parts) if len(parts) > 1 or not single else None


def article_one_title(layout: Layout) -> str | None:
    """'Điều 1. Ban hành kèm theo Quyết định này Kế hoạch …'."""
    for key, line in zip(layout.keys, layout.lines):
        if key.startswith("điều 1"):
            m = re.search(r"(?i)quyết định này\s*:?\s*[“\"]?(.+?)[”\"]?\s*\.?$", line)
            if m:
                return m.group(1)
    return None


def split_title_head(title: str) -> tuple[str, str] | None:
    """('Kế hoạch', rest) when the title starts with a plan head word."""
    key = aligned_key(title)
    for head in load_vocab().plan_title_heads:
        if key.startswith(head) and (len(key) == len(head) or not key[len(head)].isalpha()):
            return head[:1].upper() + head[1:], title[len(head):].strip(" :-–")
    return None


def find_mixed_case(rest: str, layout: Layout) -> str | None:
    """The same words printed in mixed case somewhere in the document."""
    target = aligned_key(rest)
    if not target:
        return None
    for line in layout.lines:
        if is_upper_line(line):
            continue
        key = aligned_key(line)
        if len(key) != len(line):
            continue
        pos = key.find(target)
        if pos >= 0 and (pos == 0 or not key[pos - 1].isalpha()):
            return line[pos:pos + len(target)]
    return None


_SENTENCE_END = (".", ":", ";", "!", "?")


def _body_capitals(layout: Layout) -> tuple[list[str], list[bool]]:
    """The words of the mixed-case lines, each with whether its capital is its own (not a
    line's or sentence's first word, not after a number or bullet)."""
    words: list[str] = []
    own: list[bool] = []
    for line in layout.lines:
        if is_upper_line(line):
            continue
        prev = ""
        for i, word in enumerate(line.split()):
            words.append(word.strip(",;:.()“”\"'"))
            own.append(i > 0 and not prev.endswith(_SENTENCE_END) and not prev.rstrip(".)").isdigit()
                       and words[-1][:1].isupper())
            prev = word
        words.append("")  # no phrase runs over a line end
        own.append(False)
    return words, own


def recover_case(title: str, layout: Layout) -> str:
    """A sentence-cased title with the capitals its phrases carry where the body prints them in
    running text ('ban chỉ đạo của chính phủ' -> 'Ban Chỉ đạo của Chính phủ'): the longest run of
    two or more title words found in the body lends the capitals of its own-capital words."""
    words, own = _body_capitals(layout)
    index: dict[str, list[int]] = {}
    for j, w in enumerate(words):
        index.setdefault(w.lower(), []).append(j)
    out = title.split(" ")
    low = [w.strip(",;:.()").lower() for w in out]
    i = 0
    while i < len(out):
        best, at = 0, -1
        for j in index.get(low[i], []):
            n = 0
            while i + n < len(out) and j + n < len(words) and words[j + n].lower() == low[i + n]:
                n += 1
            if n >= 2 and n > best and any(own[j:j + n]):
                best, at = n, j
        for k in range(best):
            if own[at + k]:
                out[i + k] = out[i + k].replace(low[i + k], words[at + k], 1) if low[i + k] in out[i + k] else out[i + k]
        i += max(best, 1)
    return " ".join(out)


def respell_from_body(title: str, layout: Layout) -> str:
    """A title word printed once, a typo of a word the document prints in the same phrase at least
    twice ('Chường trình lập pháp' beside 'Chương trình lập pháp' in the articles), takes the
    document's spelling: the spelling differs only in its diacritics and is followed by the same word."""
    tokens = list(map(str.strip, " ".join(layout.lines).lower().split(), repeat(",;:.()“”\"'")))
    counts = Counter(tokens)
    words = title.split(" ")
    wanted: dict[str, set[str]] = {}  # following word -> folded spellings of the title words before it
    for i in range(len(words) - 1):
        word = words[i].lower()
        if counts.get(word, 0) <= 1:
            wanted.setdefault(words[i + 1].strip(",;:.").lower(), set()).add(fold(word))
    if not wanted:
        return title
    pairs: dict[tuple[str, str], dict[str, int]] = {}  # (folded word, next word) -> spelling -> count
    for w, after in zip(tokens, tokens[1:]):
        if after in wanted and (key := fold(w)) in wanted[after]:
            by_spelling = pairs.setdefault((key, after), {})
            by_spelling[w] = by_spelling.get(w, 0) + 1
    for i in range(len(words) - 1):
        word, after = words[i].lower(), words[i + 1].strip(",;:.").lower()
        if counts.get(word, 0) > 1:
            continue
        others = {w: n for w, n in pairs.get((fold(word), after), {}).items() if w != word and n >= 2}
        if others:
            best = max(others, key=others.get)
            words[i] = best[:1].upper() + best[1:] if words[i][:1].isupper() else best
    return " ".join(words)


def compose_title(raw: str, layout: Layout, names: list[str]) -> str:
    raw = raw.strip(" .;:“”\"_")
    split = split_title_head(raw)
    head, rest = split if split else ("", raw)
    if rest and is_upper_line(rest):
        rest = find_mixed_case(rest, layout) or recover_case(sentence_case(rest, names), layout)
    first = rest.split()[0].strip(",.;:") if rest else ""
    if rest and not (first.isupper() and len(first) > 1) and first not in names:
        rest = rest[:1].lower() + rest[1:]
    title = f"{head} {rest}".strip() if head else rest[:1].upper() + rest[1:]
    return respell_from_body(SPACES.sub(" ", title), layout)


def title_candidates(layout: Layout) -> list[tuple[str, str]]:
    """Raw plan titles in order of preference, with the rule that found each."""
    out = []
    heading = plan_heading_title(layout)
    if heading:
        out.append(("plan heading", heading))
    dec = decision_title(layout)
    if dec:
        lead = _strip_lead_in(aligned_key(dec))
        dec = dec[lead:]
        if not lead and split_title_head(dec) is None:
            # a bare verb phrase ("Điều chỉnh Chương trình …") is named with its document type
            head = layout.lines[layout.decision_heading].rstrip(" :")
            if is_upper_line(dec):
                dec = find_mixed_case(dec, layout) or recover_case(sentence_case(dec, []), layout)
            dec = f"{head[:1].upper()}{head[1:].lower()} {dec[:1].lower()}{dec[1:]}"
        out.append(("decision title", dec))
    art = article_one_title(layout)
    if art:
        out.append(("article 1", art))
    if not out and layout.appendix_start is not None:
        # a letter or notice without its own subject line: the attached task list's title
        appendix = appendix_title(layout)
        if appendix:
            out.append(("appendix title", appendix))
    return out


def appendix_title(layout: Layout) -> str | None:
    """The heading printed under the first appendix label, up to its "(Kèm theo …)" line."""
    i = layout.appendix_start
    line = layout.lines[i]
    rest = re.sub(r"(?i)^phụ\s+lục(\s+(số\s*)?[0-9ivxlc]+\b)?[\s.:–-]*", "", line).strip()
    parts = [rest] if rest else []
    for j in range(i + 1, min(i + 4, len(layout.lines))):
        if layout.keys[j].startswith("(") or (parts and is_upper_line(parts[-1]) != is_upper_line(layout.lines[j])):
            break
        parts.append(layout.lines[j])
    return " ".join(parts).split("(")[0].strip(" -–") or None
