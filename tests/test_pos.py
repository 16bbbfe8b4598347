"""The tagger's first-word tags (normalizers/pos.py): underthesea's word segmenter, loaded with the C
unpickler, tags as underthesea loading it itself does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from plantasks.normalizers import pos

TEXTS = ["Người dân", "Theo phân công", "Thực hiện rà soát", "Các cơ quan báo chí", "Sở Nội vụ",
         "Hiệp hội doanh nghiệp tỉnh", "Tổ công tác liên ngành", "Chủ động phối hợp", "Ban Chỉ đạo"]

UNDERTHESEA_ITSELF = """
import json, sys
from underthesea import pos_tag
print(json.dumps([pos_tag(t) for t in json.loads(sys.argv[1])], ensure_ascii=False))
"""


def test_the_segmenter_loaded_here_segments_as_underthesea_loading_it():
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
    from underthesea.pipeline import word_tokenize
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    folder = Path(word_tokenize.__file__).parent / "models" / pos.SEGMENTER_MODEL
    ours = pos._segmenter(folder)
    theirs = FastCRFSequenceTagger()
    theirs.load(str(folder))
    for text in TEXTS:
        features = [[token] for token in tokenize(text)]
        assert ours.predict(features) == theirs.predict(features)


def test_first_tags_are_underthesea_pos_tags():
    proc = subprocess.run([sys.executable, "-c", UNDERTHESEA_ITSELF, json.dumps(TEXTS)], capture_output=True,
                          text=True, check=True)
    theirs = [[tuple(pair) for pair in tags] for tags in json.loads(proc.stdout)]
    ours = [pos._pos_tag()(text) for text in TEXTS]
    assert ours == theirs
    assert [pos.first_tag(t) for t in TEXTS] == [tags[0][1] for tags in theirs]


def test_files_not_as_expected_leave_the_loading_to_underthesea(tmp_path):
    (tmp_path / "models.bin").write_bytes(b"not a model")
    assert pos._segmenter(tmp_path) is None
