"""Vietnamese text repair: NFC and match keys, tone placement, legacy TCVN3/VNI, OCR confusions."""

from __future__ import annotations

import unicodedata

import pytest

from plantasks.normalizers.vietnamese import (
    LEGACY_ENCODINGS,
    build_vocabulary,
    decode_legacy,
    detect_legacy,
    encode_legacy,
    find_ocr_confusions,
    fix_ocr_confusions,
    is_vietnamese_syllable,
    legacy_table,
    match_key,
    nfc,
    repair_legacy,
    strip_diacritics,
    unify_tone_placement,
)

# ---------------------------------------------------------------- NFC, keys, tone placement


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Thanh Hóa")
    assert decomposed != "Thanh Hóa"
    assert nfc(decomposed) == "Thanh Hóa"


@pytest.mark.parametrize(
    "a, b",
    [
        ("hoà", "hòa"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("qúy", "quý"),
        ("Thanh Hoá", "THANH HÓA"),
        ("khoẻ  mạnh", "khỏe mạnh"),
        ("thuỷ lợi", "thủy lợi"),
        ("ÐẠI HỘI", "Đại hội"),  # eth from PDFs read as Đ
        (unicodedata.normalize("NFD", "Việt Nam"), "việt nam"),
    ],
)
def test_match_key_unifies_spellings(a, b):
    assert match_key(a) == match_key(b)


def test_match_key_keeps_real_differences():
    assert match_key("hòa") != match_key("hoa")
    assert match_key("quý") != match_key("quy")


@pytest.mark.parametrize(
    "word, classic, new",
    [
        ("hoà", "hòa", "hoà"),
        ("HOÁ", "HÓA", "HOÁ"),
        ("thuỷ", "thủy", "thuỷ"),
        ("khoẻ", "khỏe", "khoẻ"),
        ("qúy", "quý", "quý"),
        ("gìa", "già", "già"),
        ("gìn", "gìn", "gìn"),
        ("hoàn", "hoàn", "hoàn"),  # a final consonant: both styles agree
        ("người", "người", "người"),
        ("ngoài", "ngoài", "ngoài"),
        ("mùa", "mùa", "mùa"),
        ("khuỷu", "khuỷu", "khuỷu"),
    ],
)
def test_tone_placement_styles(word, classic, new):
    assert unify_tone_placement(word) == classic
    assert unify_tone_placement(word, "new") == new


def test_tone_placement_leaves_non_vietnamese_words_alone():
    assert unify_tone_placement("café naïve résumé 2024") == "café naïve résumé 2024"


def test_unknown_tone_style_is_an_error():
    with pytest.raises(ValueError, match="classic"):
        unify_tone_placement("hoà", "modern")


def test_strip_diacritics():
    assert strip_diacritics("Đổi mới Cải cách") == "Doi moi Cai cach"


@pytest.mark.parametrize("word", ["hòa", "người", "quyết", "khuya", "giữa", "Việt", "tỉnh", "ủy"])
def test_vietnamese_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["and", "café", "cac", "hßa", "ăa", "xyz", "ViÖt"])
def test_not_vietnamese_syllables(word):
    assert not is_vietnamese_syllable(word)


# ---------------------------------------------------------------- legacy encodings

SENTENCES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Kế hoạch cải cách hành chính năm 2024 của tỉnh Thanh Hóa",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
    "Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành và người dân, doanh nghiệp.",
    "Đẩy mạnh chuyển đổi số, xây dựng chính quyền điện tử; giải quyết thủ tục đúng hạn.",
    "Tăng cường kỷ luật, kỷ cương hành chính trong đội ngũ cán bộ, công chức, viên chức.",
    "Quý IV/2024: báo cáo kết quả thực hiện, đánh giá chỉ số hài lòng của người dân.",
]


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
@pytest.mark.parametrize("sentence", SENTENCES)
def test_legacy_round_trip(encoding, sentence):
    legacy = encode_legacy(sentence, encoding)
    assert legacy != sentence
    repaired, warnings = repair_legacy(legacy)
    assert repaired == sentence
    assert warnings == []


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_every_table_letter_decodes_back(encoding):
    table = legacy_table(encoding)
    for letter, code in table.encode_map.items():
        assert decode_legacy(code, encoding) == letter


def test_tables_cover_all_vietnamese_letters():
    vni = legacy_table("vni")
    assert len(vni.decode_map) == 134  # 67 letters, lower and upper case
    tcvn3_letters = set(legacy_table("tcvn3").decode_map.values())
    lower = {c for c in vni.decode_map.values() if c.islower()}
    assert lower <= tcvn3_letters


def test_tcvn3_upper_case_headings_from_vntimeh_fonts():
    assert repair_legacy("QUYÕT §ÞNH") == ("QUYẾT ĐỊNH", [])
    assert repair_legacy("KÕ HO¹CH C¶I C¸CH HµNH CHÝNH N¡M 2024")[0] == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"


def test_multiline_text_converts_only_legacy_lines():
    unicode_line = "Ủy ban nhân dân tỉnh Thái Bình"
    legacy_line = encode_legacy("Kế hoạch cải cách hành chính", "tcvn3")
    repaired, _ = repair_legacy(f"{unicode_line}\n{legacy_line}\nPAR INDEX 2024")
    assert repaired.split("\n") == [unicode_line, "Kế hoạch cải cách hành chính", "PAR INDEX 2024"]


def test_detect_legacy_names_the_encoding():
    assert detect_legacy(encode_legacy(SENTENCES[1], "vni")) == "vni"
    assert detect_legacy(encode_legacy(SENTENCES[1], "tcvn3")) == "tcvn3"
    assert detect_legacy(SENTENCES[1]) is None


def test_unrecoverable_words_are_named_in_warnings():
    legacy = encode_legacy("Công tác chỉ đạo, điều hành", "tcvn3") + " xyzq¸"
    repaired, warnings = repair_legacy(legacy)
    assert repaired.startswith("Công tác chỉ đạo, điều hành")
    assert len(warnings) == 1 and "xyzqá" in warnings[0] and "TCVN3" in warnings[0]


@pytest.mark.parametrize(
    "text",
    [
        "Tôi là ai",  # Unicode Vietnamese in Latin-1 letters only
        "hoà bình và khoá học",  # new-style tone placement that looks like VNI "oà"
        "Giáo dục và đào tạo",
        "Khánh Hòa, Hà Nội",
        "Số: 175 /KH-UBND",
        "Le café est très bon à Paris",
        "The naïve résumé of Zoë",
        "Administrative reform plan 2024 (PAR INDEX)",
        "¼ cup, ½ hour, § 12, © 2024",
        "",
    ],
)
def test_repair_leaves_unicode_and_other_languages_alone(text):
    assert repair_legacy(text) == (text, [])


# ---------------------------------------------------------------- OCR confusions

VOCAB = ["cải cách thể chế", "thủ tục hành chính", "nhiệm vụ cụ thể", "chế độ công vụ"]


def test_fixes_a_unique_one_mark_slip_and_keeps_case():
    assert fix_ocr_confusions("Cải cách thê chê", VOCAB) == "Cải cách thể chế"
    assert fix_ocr_confusions("NHIỆM VỤ CU THÊ", VOCAB) == "NHIỆM VỤ CỤ THỂ"


def test_leaves_words_that_are_in_the_vocabulary():
    assert fix_ocr_confusions("chế độ công vụ", VOCAB + ["chê"]) == "chế độ công vụ"


def test_leaves_a_word_when_the_vocabulary_offers_two_candidates():
    vocab = build_vocabulary(VOCAB + ["cũ", "củ"])
    assert fix_ocr_confusions("nhiệm vụ cu", vocab) == "nhiệm vụ cu"


def test_needs_the_same_letters_and_only_one_difference():
    vocab = VOCAB + ["người dân"]
    assert fix_ocr_confusions("nguoi", vocab) == "nguoi"  # two marks missing: two differences
    assert fix_ocr_confusions("chanh", vocab) == "chanh"  # other letters
    assert fix_ocr_confusions("chinh", vocab) == "chính"
    assert fix_ocr_confusions("thu tuc", vocab) == "thủ tục"  # word by word, each one mark off


def test_reports_what_it_replaced():
    reps = find_ocr_confusions("Cải cách thê chế", VOCAB)
    assert [(r.old, r.new, r.start) for r in reps] == [("thê", "thể", 9)]


def test_tone_placement_variants_count_as_known_words():
    assert fix_ocr_confusions("hoà", ["hòa", "hỏa"]) == "hoà"
