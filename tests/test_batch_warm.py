"""What a re-run keeps warm never changes a record: the registry compiled in the cache folder and the
slow tools' answers (part-of-speech tagger, agency matcher) kept in the catalogue give the records a
cold `--force` run gives; a re-run with them loads neither tool; answers of another model (another
spaCy, tagger, plantasks or vocabulary) and a stale or broken cache are never used."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from plantasks.data_files import KEPT_VERSIONS, compiled, fingerprint, load_yaml
from plantasks.normalizers.agencies.registry import REGISTRY_FILE, build_registry, load_registry

FIXTURE = Path(__file__).parent / "fixtures" / "rerun"  # invented plans: bodies inside longer text, unknown bodies
PROBE = ("import sys\nfrom plantasks.cli import main\ncode = main(sys.argv[1:])\n"
         "print(code, ','.join(sorted({'spacy', 'underthesea'} & set(sys.modules))) or '-')")


def _extract(inputs: Path, out: Path, cache: Path | str, *extra: str) -> list[str]:
    """Exit status and which of the slow tools the run loaded, in a fresh interpreter."""
    env = {**os.environ, "PLANTASKS_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE, "extract", str(inputs), "--out", str(out), "--quiet",
                           "--workers", "1", *extra], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def _agencies(out: Path) -> list[tuple[list[str], list[str]]]:
    lines = (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()
    return [([a["name"] for a in t["lead"]], [f"{a['name']} ({a['kind']})" for a in t["support"]])
            for t in map(json.loads, lines)]


def _same_records(out: Path, fresh: Path) -> None:
    assert (out / "tasks.jsonl").read_bytes() == (fresh / "tasks.jsonl").read_bytes()
    for name in ("plan_a.txt.json", "plan_b.txt.json"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes()


def test_a_warm_rerun_gives_the_records_of_a_cold_forced_run_and_loads_no_slow_tool(tmp_path):
    inputs, out, cache = tmp_path / "in", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(FIXTURE, inputs)
    assert _extract(inputs, out, cache) == ["0", "spacy,underthesea"]
    assert len(list(cache.glob("agency-registry-*.pickle"))) == 1
    models = {m for m, in sqlite3.connect(out / "catalogue.sqlite").execute("SELECT DISTINCT model FROM answers")}
    assert {m.split()[0] for m in models} == {"spacy", "underthesea"}

    plan = inputs / "plan_a.txt"  # a changed plan: its title edited, its tables as they were
    plan.write_text(plan.read_text(encoding="utf-8").replace("năm 2025\n", "năm 2025 (sửa đổi)\n", 1), encoding="utf-8")
    assert _extract(inputs, out, cache) == ["0", "-"]
    fresh = tmp_path / "fresh"
    assert _extract(inputs, fresh, "off", "--force") == ["0", "spacy,underthesea"]
    _same_records(out, fresh)
    assert _agencies(out)[:2] == [  # what the matcher and the tagger decided, remembered or not
        (["Bộ phận một cửa Sở Khoa học và Công nghệ"],
         ["Các sở, ban, ngành cấp tỉnh (group)", "Tổ công tác chuyển đổi số cộng đồng (unknown)"]),
        (["Sở Khoa học và Công nghệ"], ["Văn phòng Ủy ban nhân dân tỉnh (agency)", "Ban quản lý dự án số hóa (unknown)"]),
    ]


def test_answers_of_another_model_are_not_used(tmp_path):
    inputs, out, cache = tmp_path / "in", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(FIXTURE, inputs)
    assert _extract(inputs, out, cache)[0] == "0"
    db = sqlite3.connect(out / "catalogue.sqlite")  # as if another spaCy, tagger or vocabulary had answered
    db.execute("UPDATE answers SET model = model || ' (another)', answer = CASE WHEN model LIKE 'spacy%' THEN '[]' ELSE 'V' END")
    db.commit()
    db.close()
    assert _extract(inputs, out, cache, "--force") == ["0", "spacy,underthesea"]
    fresh = tmp_path / "fresh"
    assert _extract(inputs, fresh, "off")[0] == "0"
    _same_records(out, fresh)


def test_the_cached_registry_is_the_registry_the_data_files_give(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTASKS_CACHE_DIR", str(tmp_path))
    load_registry.cache_clear()
    try:
        load_registry()  # built and written
        load_registry.cache_clear()
        cached = load_registry()  # read back
    finally:
        load_registry.cache_clear()
    assert len(list(tmp_path.glob("agency-registry-*.pickle"))) == 1
    built = build_registry(load_yaml(REGISTRY_FILE))
    for name in ("entries", "sources", "index", "dated", "folded", "conflicts", "fuzzy_tables"):
        assert getattr(cached, name) == getattr(built, name), name


def test_a_compiled_vocabulary_is_rebuilt_when_what_decides_it_changes(tmp_path, monkeypatch):
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    (data / "words.yaml").write_text("words: [a, b]\n", encoding="utf-8")
    monkeypatch.setenv("PLANTASKS_CACHE_DIR", str(cache))
    builds = []

    def build():
        builds.append(1)
        return sorted(load_yaml(data / "words.yaml")["words"])

    assert compiled("words", build, data) == ["a", "b"] and len(builds) == 1
    assert compiled("words", build, data) == ["a", "b"] and len(builds) == 1  # from the cache
    (data / "words.yaml").write_text("words: [c, a]\n", encoding="utf-8")
    fingerprint.cache_clear()  # (a process sees its files once; a new one sees the change)
    assert compiled("words", build, data) == ["a", "c"] and len(builds) == 2
    assert len(list(cache.glob("words-*.pickle"))) == 2  # the earlier version's copy stays for a while
    (cache / f"words-{fingerprint(data)}.pickle").write_bytes(b"not a pickle")
    assert compiled("words", build, data) == ["a", "c"] and len(builds) == 3
    (data / "more.py").write_text("X = 1\n", encoding="utf-8")  # code beside the data decides it too
    fingerprint.cache_clear()
    assert compiled("words", build, data) == ["a", "c"] and len(builds) == 4
    for k in range(KEPT_VERSIONS + 2):  # many versions: only the newest few copies are kept
        (data / "more.py").write_text(f"X = {k + 2}\n", encoding="utf-8")
        fingerprint.cache_clear()
        compiled("words", build, data)
    assert len(list(cache.glob("words-*.pickle"))) == KEPT_VERSIONS
    assert compiled("words", build, data) == ["a", "c"] and len(builds) == 4 + KEPT_VERSIONS + 2  # the newest: cached
    builds.clear()
    monkeypatch.setenv("PLANTASKS_CACHE_DIR", "off")
    shutil.rmtree(cache)
    assert compiled("words", build, data) == ["a", "c"] and len(builds) == 1 and not cache.exists()
