"""`plantasks eval OUT_DIR --gold GOLD_DIR`: score outputs against gold records (GOLD_SPEC format).

Same metrics and numbers as the project's reference scorer: rows matched by a monotone alignment on
content similarity (a pair counts from 0.8), then per matched row content exact / similarity, stt,
section, area, table, funding, deadline_raw, and micro-F1 of outputs, lead, support and deadline
items; document metadata as the share of equal fields. Totals are micro-averaged over documents
(meta: the mean over documents).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

ALIGN_MIN = 0.6   # a pair may enter the alignment
MATCH_MIN = 0.8   # an aligned pair counts as the same row
META_FIELDS = ("doc_type", "issuer", "level", "province", "district", "decision_number", "decision_date",
               "plan_number", "plan_date", "title", "period_start", "period_end", "signer")
ROW_FIELDS = ("content", "stt", "area", "section", "table", "funding", "deadline_raw")
COLUMNS = ("row_f1", "content", "content_sim", "stt", "section", "area", "outputs_f1", "lead_f1", "support_f1",
           "deadline_f1", "deadline_raw", "funding", "meta")


def norm(value: Any) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()


def key(value: Any) -> str:
    return norm(value).casefold().rstrip(" .;,")


def sim(a: str, b: str) -> float:
    return fuzz.ratio(a, b, processor=None) / 100.0


@dataclass
class Counts:
    """True/false positives and false negatives of a multiset comparison."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: list, pred: list) -> None:
        remaining = list(gold)
        for item in pred:
            if item in remaining:
                remaining.remove(item)
                self.tp += 1
            else:
                self.fp += 1
        self.fn += len(remaining)

    def f1(self) -> float:
        if self.tp == 0:
            return 0.0 if (self.fp or self.fn) else 1.0
        precision = self.tp / (self.tp + self.fp)
        recall = self.tp / (self.tp + self.fn)
        return 2 * precision * recall / (precision + recall)


def load_gold(gold_dir: Path, doc: str) -> tuple[dict, list[dict]]:
    meta = json.loads((gold_dir / f"{doc}.meta.json").read_text(encoding="utf-8"))
    lines = (gold_dir / f"{doc}.tasks.jsonl").read_text(encoding="utf-8").splitlines()
    return meta, [json.loads(line) for line in lines if line.strip()]


def find_output(out_dir: Path, doc: str) -> dict | None:
    """DOC.json, else the first *.json whose name contains DOC and that holds tasks."""
    exact = out_dir / f"{doc}.json"
    if exact.exists():
        return json.loads(exact.read_text(encoding="utf-8"))
    for path in sorted(out_dir.rglob("*.json")):
        if doc not in path.name:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except Exception:
            continue
        if isinstance(data, dict) and "tasks" in data:
            return data
    return None


def agency_names(agencies: Any) -> list[str]:
    out = []
    for a in agencies or []:
        if isinstance(a, str):
            out.append(a)
        elif isinstance(a, dict):
            out.append(a.get("name") or a.get("canonical") or a.get("text") or "")
    return out


def deadline_items(task: dict) -> list[dict]:
    deadline = task.get("deadline")
    if isinstance(deadline, dict):
        return deadline.get("items") or []
    return task.get("deadlines") or []


def deadline_key(item: dict) -> tuple:
    return item.get("kind"), item.get("start"), item.get("due"), tuple(sorted(item.get("recurrence") or []))


def align(gold: list[dict], pred: list[dict]) -> list[tuple[int, int, float]]:
    """Monotone alignment maximizing summed content similarity (pairs below ALIGN_MIN never align)."""
    n, m = len(gold), len(pred)
    gs = [key(t.get("content")) for t in gold]
    ps = [key(t.get("content")) for t in pred]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: list[list[str | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    sims: dict[tuple[int, int], float] = {}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best, step = score[i - 1][j], "u"
            if score[i][j - 1] > best:
                best, step = score[i][j - 1], "l"
            s = sim(gs[i - 1], ps[j - 1])
            sims[(i - 1, j - 1)] = s
            if s >= ALIGN_MIN and score[i - 1][j - 1] + s > best:
                best, step = score[i - 1][j - 1] + s, "d"
            score[i][j], back[i][j] = best, step
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        step = back[i][j]
        if step == "d":
            pairs.append((i - 1, j - 1, sims[(i - 1, j - 1)]))
            i, j = i - 1, j - 1
        elif step == "u":
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _deadline_raw(task: dict) -> Any:
    deadline = task.get("deadline")
    return deadline.get("raw") if isinstance(deadline, dict) else task.get("deadline_raw")


def _row_equal(name: str, g: dict, p: dict) -> bool:
    if name == "content":
        return norm(g["content"]) == norm(p.get("content"))
    if name == "stt":
        return norm(g["stt"]) == norm(p.get("stt")).rstrip(".")
    if name == "area":
        return g["area"] == p.get("area")
    if name == "deadline_raw":
        return key(g["deadline_raw"]) == key(_deadline_raw(p))
    if name == "funding":
        return key(g.get("funding")) == key(p.get("funding"))
    return key(g[name]) == key(p.get(name))


def _row_lists(g: dict, p: dict) -> dict[str, tuple[list, list]]:
    return {
        "lead": ([key(x) for x in g["lead"]], [key(x) for x in agency_names(p.get("lead"))]),
        "support": ([key(x) for x in g["support"]], [key(x) for x in agency_names(p.get("support"))]),
        "outputs": ([key(x) for x in g["outputs"]], [key(x) for x in (p.get("outputs") or [])]),
        "deadline": ([deadline_key(x) for x in g["deadlines"]], [deadline_key(x) for x in deadline_items(p)]),
    }


def score_doc(gold_dir: Path, out_dir: Path, doc: str, detail: bool = False) -> tuple[dict, list[dict] | None]:
    meta, gold = load_gold(gold_dir, doc)
    out = find_output(out_dir, doc)
    report: dict[str, Any] = {"doc": doc, "gold_rows": len(gold)}
    if out is None:
        report.update(pred_rows=0, missing=True)
        return report, None
    pred = out.get("tasks") or []
    report["pred_rows"] = len(pred)
    matched = [(i, j, s) for i, j, s in align(gold, pred) if s >= MATCH_MIN]
    tp = len(matched)
    report["row_p"] = tp / len(pred) if pred else 0.0
    report["row_r"] = tp / len(gold) if gold else 1.0
    report["row_f1"] = 2 * report["row_p"] * report["row_r"] / (report["row_p"] + report["row_r"]) if tp else 0.0
    equal = dict.fromkeys(ROW_FIELDS, 0)
    sims: list[float] = []
    counts = {name: Counts() for name in ("lead", "support", "outputs", "deadline")}
    misses: list[dict] = []
    for i, j, _ in matched:
        g, p = gold[i], pred[j]
        sims.append(sim(norm(g["content"]), norm(p.get("content"))))
        for name in ROW_FIELDS:
            equal[name] += _row_equal(name, g, p)
        lists = _row_lists(g, p)
        for name, (gl, pl) in lists.items():
            counts[name].add(gl, pl)
        if detail:
            misses += _row_misses(g, p, lists)
    if detail:
        misses += _unmatched(gold, pred, matched)
    for name, n in equal.items():
        report[name] = n / tp if tp else 0.0
    report["content_sim"] = sum(sims) / len(sims) if sims else 0.0
    for name in ("lead", "support", "outputs", "deadline"):
        report[f"{name}_f1"] = counts[name].f1() if tp else 0.0
    doc_meta = out.get("document") or {}
    wrong = [f for f in META_FIELDS if key(meta.get(f)) != key(doc_meta.get(f))]
    report["meta"] = (len(META_FIELDS) - len(wrong)) / len(META_FIELDS)
    report["meta_wrong"] = wrong
    report["_counts"] = {"tp": tp, **{name: vars(c).copy() for name, c in counts.items()}}
    return report, misses


def _row_misses(g: dict, p: dict, lists: dict) -> list[dict]:
    out = []
    for name, label in (("lead", "lead"), ("support", "support"), ("deadline", "deadlines"), ("outputs", "outputs")):
        a, b = lists[name]
        if sorted(map(str, a)) != sorted(map(str, b)):
            out.append({"stt": g["stt"], "section": g["section"][:30], "field": label, "gold": a, "pred": b})
    if norm(g["content"]) != norm(p.get("content")):
        out.append({"stt": g["stt"], "field": "content", "gold": norm(g["content"]), "pred": norm(p.get("content"))})
    return out


def _unmatched(gold: list[dict], pred: list[dict], matched: list) -> list[dict]:
    gi = {i for i, _, _ in matched}
    pj = {j for _, j, _ in matched}
    out = [{"field": "row_missed", "gold": g["stt"] + " " + norm(g["content"])[:90]}
           for i, g in enumerate(gold) if i not in gi]
    out += [{"field": "row_extra", "pred": str(p.get("stt")) + " " + norm(p.get("content"))[:90]}
            for j, p in enumerate(pred) if j not in pj]
    return out


def totals(results: list[dict]) -> dict:
    """Micro-averaged totals over documents."""
    tot: dict[str, Any] = {"gold_rows": sum(r["gold_rows"] for r in results),
                           "pred_rows": sum(r.get("pred_rows", 0) for r in results)}
    tp = sum(r.get("_counts", {}).get("tp", 0) for r in results)
    tot["row_p"] = tp / tot["pred_rows"] if tot["pred_rows"] else 0.0
    tot["row_r"] = tp / tot["gold_rows"] if tot["gold_rows"] else 0.0
    tot["row_f1"] = 2 * tot["row_p"] * tot["row_r"] / (tot["row_p"] + tot["row_r"]) if tp else 0.0
    for name in ("content", "content_sim", "stt", "section", "area", "deadline_raw", "funding"):
        weighted = sum(r.get(name, 0.0) * r.get("_counts", {}).get("tp", 0) for r in results)
        tot[name] = weighted / tp if tp else 0.0
    for name in ("lead", "support", "outputs", "deadline"):
        c = Counts()
        for r in results:
            part = r.get("_counts", {}).get(name)
            if part:
                c.tp += part["tp"]
                c.fp += part["fp"]
                c.fn += part["fn"]
        tot[f"{name}_f1"] = c.f1() if tp else 0.0
    tot["meta"] = sum(r.get("meta", 0.0) for r in results) / len(results) if results else 0.0
    return tot


def gold_docs(gold_dir: Path) -> list[str]:
    return sorted(p.name[: -len(".meta.json")] for p in Path(gold_dir).glob("*.meta.json"))


def score_run(gold_dir: Path, out_dir: Path, docs: list[str] | None = None, detail: bool = False) -> dict:
    results, misses = [], {}
    for doc in docs or gold_docs(gold_dir):
        report, doc_misses = score_doc(Path(gold_dir), Path(out_dir), doc, detail)
        results.append(report)
        misses[doc] = doc_misses
    return {"docs": results, "total": totals(results), "misses": misses}


def format_table(report: dict, detail: bool = False) -> str:
    lines = [f"{'doc':28} {'gold':>4} {'pred':>4} " + " ".join(f"{c[:8]:>8}" for c in COLUMNS)]
    for r in report["docs"]:
        if r.get("missing"):
            lines.append(f"{r['doc']:28} {r['gold_rows']:>4} {'--':>4} (no output)")
            continue
        lines.append(f"{r['doc']:28} {r['gold_rows']:>4} {r['pred_rows']:>4} "
                     + " ".join(f"{r.get(c, 0):8.3f}" for c in COLUMNS))
    tot = report["total"]
    lines.append(f"{'TOTAL':28} {tot['gold_rows']:>4} {tot['pred_rows']:>4} "
                 + " ".join(f"{tot.get(c, 0):8.3f}" for c in COLUMNS))
    if detail:
        for doc, misses in report["misses"].items():
            lines += [doc[:3] + " " + json.dumps(m, ensure_ascii=False) for m in misses or []]
    return "\n".join(lines) + "\n"
