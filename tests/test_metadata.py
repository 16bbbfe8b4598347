"""Document metadata: the three seed documents against gold, purpose-built fixtures, and the parts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from plantasks.parsers.metadata import META_FIELDS, extract_metadata, parse_date, parse_number, period_from_text
from plantasks.parsers.metadata.places import title_case_name
from plantasks.normalizers.text import sentence_case
from plantasks.parsers.metadata.vocab import load_vocab
from samples import GOLD, TEXT_SAMPLES

FIXTURES = Path(__file__).parent / "fixtures" / "metadata"
SEEDS = TEXT_SAMPLES
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))


def body_lines(text: str) -> list[str]:
    """Lines outside tables: the seed texts put table cells on tab-separated lines."""
    return [line for line in text.splitlines() if "\t" not in line]


def as_plain(value):
    return value.isoformat() if isinstance(value, date) else value


def field_misses(fields: dict, expected: dict) -> list[tuple]:
    return [(f, as_plain(fields[f]), expected[f]) for f in META_FIELDS if as_plain(fields[f]) != expected[f]]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_documents_match_gold_on_every_field(seed: Path):
    gold = json.loads((GOLD / f"{seed.stem}.meta.json").read_text(encoding="utf-8"))
    result = extract_metadata(body_lines(seed.read_text(encoding="utf-8")))
    assert field_misses(result.fields, gold) == []


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_fixture_documents(name: str):
    expected = EXPECTED[name]
    result = extract_metadata((FIXTURES / f"{name}.txt").read_text(encoding="utf-8").splitlines())
    assert field_misses(result.fields, expected) == []
    for note in expected.get("notes", []):
        assert any(note in n for n in result.notes), result.notes


def test_decision_date_is_a_date_and_numbers_are_strings():
    result = extract_metadata((FIXTURES / "ministry_decision.txt").read_text(encoding="utf-8").splitlines())
    assert result.fields["decision_date"] == date(2023, 12, 28)
    assert isinstance(result.fields["decision_number"], str)


def test_sources_say_which_rule_decided():
    seed = next(p for p in SEEDS if p.stem.startswith("002"))
    result = extract_metadata(body_lines(seed.read_text(encoding="utf-8")))
    assert result.sources["issuer"] == "body sentence"
    assert result.sources["plan_number"] == "own number line"
    assert any("inferred" in n for n in result.notes)


def test_pdf_header_with_motto_glued_to_the_issuing_body_is_read_as_authority():
    text = (FIXTURES / "province_post2025.txt").read_text(encoding="utf-8")
    result = extract_metadata(text.splitlines())
    assert result.sources["issuer"] == "authority line"


def test_plan_number_only_in_appendix_header_fills_a_missing_decision_line():
    lines = [
        "KẾ HOẠCH",
        "Cải cách hành chính huyện Nga Sơn năm 2025",
        "(Ban hành kèm theo Quyết định số 88/QĐ-UBND ngày 10 tháng 01 năm 2025 của UBND huyện Nga Sơn)",
        "I. MỤC ĐÍCH",
        "Căn cứ Quyết định của UBND tỉnh Thanh Hóa về cải cách hành chính.",
    ]
    result = extract_metadata(lines)
    assert result.fields["doc_type"] == "decision"
    assert result.fields["decision_number"] == "88/QĐ-UBND"
    assert result.fields["decision_date"] == date(2025, 1, 10)
    assert result.fields["issuer"] == "Ủy ban nhân dân huyện Nga Sơn"
    assert result.fields["level"] == "district"
    assert result.fields["province"] == "Thanh Hóa"


_RESOLUTION_HEAD = ["ỦY BAN THƯỜNG VỤ QUỐC HỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
_RESOLUTION_BODY = ["NGHỊ QUYẾT", "Điều chỉnh Chương trình giám sát năm 2026",
                    "ỦY BAN THƯỜNG VỤ QUỐC HỘI", "QUYẾT NGHỊ:", "Điều 1. Điều chỉnh chương trình như sau.",
                    "Điều 2. Nghị quyết này có hiệu lực từ ngày thông qua./."]


def test_a_date_whose_year_wrapped_onto_the_next_line_is_read():
    # a text browser wraps the right-hand column of the letterhead at its width
    lines = [*_RESOLUTION_HEAD, "Nghị quyết số: 15/2026/UBTVQH15          Hà Nội, ngày 10 tháng 3 năm", "2026",
             *_RESOLUTION_BODY]
    assert extract_metadata(lines).fields["decision_date"] == date(2026, 3, 10)


def test_the_adoption_line_dates_a_resolution_even_when_its_year_wrapped():
    lines = [*_RESOLUTION_HEAD, "Nghị quyết số: 15/2026/UBTVQH15", *_RESOLUTION_BODY,
             "Nghị quyết này được Ủy ban Thường vụ Quốc hội thông qua ngày 10 tháng 3 năm", "2026."]
    assert extract_metadata(lines).fields["decision_date"] == date(2026, 3, 10)


def test_a_draft_with_the_day_left_blank_has_no_date():
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số:      /KH-UBND", "Lâm Đồng, ngày      tháng      năm 2026",
             "KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm 2026", "I. MỤC ĐÍCH, YÊU CẦU"]
    result = extract_metadata(lines)
    assert result.fields["plan_date"] is None and result.fields["decision_date"] is None


def test_a_document_without_any_metadata_gives_nulls_and_notes_not_guesses():
    result = extract_metadata(["Một dòng văn bản không có thông tin gì.", ""])
    assert result.fields["issuer"] is None
    assert result.fields["decision_number"] is None and result.fields["plan_number"] is None
    assert result.fields["signer"] is None
    assert result.fields["period_start"] is None
    assert "issuer not found" in result.notes


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4951/QĐ-UBND", "4951/QĐ-UBND"),
        ("175 /KH-UBND", "175/KH-UBND"),
        ("12/2025/QĐ-UBND", "12/2025/QĐ-UBND"),
        ("05/2024/NQ-HĐND ngày 10/7/2024", "05/2024/NQ-HĐND"),
        ("1291/QĐ-TTg", "1291/QĐ-TTg"),
        ("/QĐ-UBND", None),
        ("   /QĐ-UBND", None),
        ("…/KH-UBND", None),
        ("......../QĐ-UBND", None),
        # a Party committee's: the type before the issuer
        ("125-KH/TU", "125-KH/TU"),
        ("57-NQ/TW ngày 22/12/2024", "57-NQ/TW"),
        ("12 - KH/HU,", "12-KH/HU"),
        ("08-KH/BCSĐ", "08-KH/BCSĐ"),
        ("   -KH/ĐU", None),
    ],
)
def test_parse_number(text, expected):
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed.number == expected


def test_parse_number_rejects_text_without_a_number_pattern():
    assert parse_number("Quyết định này") is None


@pytest.mark.parametrize(
    "text, expected, year",
    [
        ("Thanh Hóa, ngày 25 tháng 12 năm 2023", date(2023, 12, 25), 2023),
        ("ngày 3 tháng 2 năm 2020", date(2020, 2, 3), 2020),
        ("ngày 25/12/2023", date(2023, 12, 25), 2023),
        ("ngày 05-01-2024", date(2024, 1, 5), 2024),
        ("Hoàng Hoá, ngày tháng 12 năm 2022", None, 2022),
        ("ngày ... tháng ... năm 2024", None, 2024),
        ("ngày 31 tháng 2 năm 2024", None, 2024),
    ],
)
def test_parse_date(text, expected, year):
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.value, parsed.year) == (expected, year)


def test_parse_date_needs_the_ngay_thang_nam_frame():
    assert parse_date("Quý IV/2024") is None


@pytest.mark.parametrize(
    "text, issue_year, expected",
    [
        ("Kế hoạch cải cách hành chính năm 2024", None, (2024, 2024)),
        ("Kế hoạch CCHC giai đoạn 2021-2030", None, (2021, 2030)),
        ("Kế hoạch giai đoạn 2021 - 2025, định hướng đến năm 2030", None, (2021, 2025)),
        ("Đề án chuyển đổi số đến năm 2025", 2022, (2022, 2025)),
        ("Kế hoạch cải cách hành chính", 2024, None),
        ("Kế hoạch thực hiện Chỉ thị số 23/CT-TTg ngày 02/9/2021 của Thủ tướng Chính phủ năm 2022", None, (2022, 2022)),
        ("Kế hoạch thực hiện Chương trình tổng thể CCHC giai đoạn 2021-2030 năm 2024", None, (2024, 2024)),
        ("Kế hoạch thực hiện Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 giai đoạn 2022 - 2025", None, (2022, 2025)),
    ],
)
def test_period_from_title(text, issue_year, expected):
    assert period_from_text(text, issue_year) == expected


def test_names_are_title_cased_with_classic_tone_placement():
    assert title_case_name("HOÀNG HOÁ") == "Hoàng Hóa"
    assert title_case_name("thuỷ nguyên") == "Thủy Nguyên"


def test_sentence_case_keeps_names_and_abbreviations():
    text = "CẢI CÁCH HÀNH CHÍNH (CCHC) TRÊN ĐỊA BÀN TỈNH THANH HÓA NĂM 2024"
    assert sentence_case(text, ["Thanh Hóa"]) == "Cải cách hành chính (CCHC) trên địa bàn tỉnh Thanh Hóa năm 2024"


@pytest.mark.parametrize("text, expected", [
    ("NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW", "Nhiệm vụ thực hiện nghị quyết số 57-NQ/TW"),
    ("TRIỂN KHAI KẾ HOẠCH SỐ 125/KH-UBND, GIAI ĐOẠN 2021-2025", "Triển khai kế hoạch số 125/KH-UBND, giai đoạn 2021-2025"),
    ("TRƯỚC NGÀY 30/4/2025", "Trước ngày 30/4/2025"),
])
def test_sentence_case_keeps_document_numbers(text, expected):
    assert sentence_case(text) == expected


def test_vocabulary_integrity():
    vocab = load_vocab()
    names = {p.name for p in vocab.provinces.values()}
    assert len(names) == 64  # 63 units before 2025 plus Huế as a centrally-run city
    assert all(p.kind in ("tỉnh", "thành phố") for p in vocab.provinces.values())
    assert set(vocab.unit_levels.values()) <= {"province", "district", "commune"}
    assert set(vocab.number_types.values()) <= {"decision", "plan"}
    assert len(set(vocab.ministry_codes)) == len(vocab.ministry_codes)


def test_layout_table_rows_joined_into_one_line_keep_their_cell_lines():
    """DOCX header and signature blocks are borderless tables; the pipeline hands each row over
    as one line with the cells' own line breaks kept."""
    lines = [
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH\n------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "Số: 1234/QĐ-UBND Quảng Ninh, ngày 15 tháng 12 năm 2022",
        "QUYẾT ĐỊNH",
        "Ban hành Kế hoạch cải cách hành chính tỉnh Quảng Ninh năm 2023",
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT, NC. TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nBùi Văn Khắng",
        "KẾ HOẠCH",
        "Cải cách hành chính tỉnh Quảng Ninh năm 2023",
    ]
    fields = extract_metadata(lines).fields
    assert fields["issuer"] == "Ủy ban nhân dân tỉnh Quảng Ninh"
    assert fields["decision_number"] == "1234/QĐ-UBND"
    assert fields["decision_date"] == date(2022, 12, 15)
    assert fields["signer"] == "Bùi Văn Khắng"


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
        ("THANH TRA TỈNH", "Thanh tra tỉnh"),
        ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH", "Trung tâm Phục vụ hành chính công tỉnh"),
        ("TỔNG CỤC THUẾ", "Tổng cục Thuế"),
        ("VỤ PHÁP CHẾ", "Vụ Pháp chế"),
    ],
)
def test_department_names_in_official_case(printed, expected):
    from plantasks.parsers.metadata import official_case

    assert official_case(printed) == expected


def test_a_mixed_case_title_wrapped_onto_a_second_line_is_joined():
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH",
        "Số: 20/KH-UBND",
        "Nam Định, ngày 22 tháng 02 năm 2022",
        "KẾ HOẠCH",
        "Thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030",
        "trên địa bàn tỉnh Nam Định năm 2022",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;",
    ]
    fields = extract_metadata(lines).fields
    assert fields["title"] == (
        "Kế hoạch thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 "
        "trên địa bàn tỉnh Nam Định năm 2022"
    )
    assert (fields["period_start"], fields["period_end"]) == (2022, 2022)


def test_period_without_years_in_the_title_starts_at_the_first_deadline_year():
    lines = (FIXTURES / "government_office_notice.txt").read_text(encoding="utf-8").splitlines()
    times = ["Tháng 3/2027", "Trước ngày 30/6/2028", "Theo Quyết định số 12/QĐ-TTg ngày 05/01/2020", ""]
    result = extract_metadata(lines, times)
    assert (result.fields["period_start"], result.fields["period_end"]) == (2027, 2027)
    assert result.sources["period_start"] == "first deadline year"


def test_a_horizon_the_title_states_starts_at_the_first_deadline_year():
    lines = ["KẾ HOẠCH", "Phát triển kinh tế số đến năm 2030", "I. MỤC TIÊU"]
    result = extract_metadata(lines, ["Quý IV/2026", "Năm 2027"])
    assert (result.fields["period_start"], result.fields["period_end"]) == (2026, 2030)


def test_a_government_office_plan_of_its_own_stays_ministry_level():
    lines = ["VĂN PHÒNG CHÍNH PHỦ", "Số: 77/KH-VPCP", "Hà Nội, ngày 05 tháng 01 năm 2026", "KẾ HOẠCH",
             "Cải cách hành chính của Văn phòng Chính phủ năm 2026", "I. MỤC ĐÍCH"]
    result = extract_metadata(lines)
    assert (result.fields["issuer"], result.fields["level"]) == ("Văn phòng Chính phủ", "ministry")


def test_a_title_typo_takes_the_spelling_the_articles_repeat():
    lines = ["ỦY BAN THƯỜNG VỤ QUỐC HỘI", "Nghị quyết số: 12/2026/UBTVQH15", "Hà Nội, ngày 02 tháng 3 năm 2026",
             "NGHỊ QUYẾT", "Điều chỉnh Chường trình giám sát năm 2026",
             "Điều 1. Điều chỉnh Chương trình giám sát năm 2026",
             "Bổ sung vào Chương trình giám sát năm 2026 nội dung sau:"]
    assert extract_metadata(lines).fields["title"] == "Nghị quyết điều chỉnh Chương trình giám sát năm 2026"


def test_a_title_typo_takes_the_spelling_printed_most_and_a_word_printed_twice_is_kept():
    # 'giam sát' (a lost accent) is printed once; the body prints 'giám sát' three times and 'giàm sát'
    # twice: the commoner spelling wins. 'năm' is printed in the title's spelling elsewhere: kept.
    lines = ["ỦY BAN THƯỜNG VỤ QUỐC HỘI", "Nghị quyết số: 14/2026/UBTVQH15", "Hà Nội, ngày 02 tháng 4 năm 2026",
             "NGHỊ QUYẾT", "Về chương trình giam sát năm 2027",
             "Điều 1. Các đoàn giàm sát báo cáo; giàm sát chuyên đề.",
             "Điều 2. Thông qua chương trình giám sát năm 2027; kết quả giám sát gửi đoàn giám sát."]
    assert extract_metadata(lines).fields["title"] == "Nghị quyết về chương trình giám sát năm 2027"


HEADER = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
Số: 31/KH-UBND
Quảng Trị, ngày 20 tháng 01 năm 2026
KẾ HOẠCH
Chuyển đổi số trong cơ quan nhà nước
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;"""


@pytest.mark.parametrize("body, cells, period", [
    # the objectives open with the plan's own horizon
    ("I. MỤC TIÊU\n1. Mục tiêu chung: đến năm 2030, 100% hồ sơ được số hóa.\nII. NHIỆM VỤ",
     ["Quý II/2026", "Năm 2027"], (2026, 2030)),
    ("2. Mục tiêu cụ thể\n- Đến năm 2028, 80% thủ tục được giải quyết trực tuyến.", ["2026"], (2026, 2028)),
    # the appendix title states it
    ("PHỤ LỤC\nDANH MỤC NHIỆM VỤ GIAI ĐOẠN 2026 - 2030\n(Kèm theo Kế hoạch số 31/KH-UBND ngày 20/01/2026)",
     ["Tháng 6/2026"], (2026, 2030)),
    # a programme the plan implements, named inside a sentence, is not its horizon; nor a past goal
    ("Thực hiện Chương trình chuyển đổi số giai đoạn 2021 - 2030 của tỉnh.\nĐến năm 2025, đã hoàn thành 90%.",
     ["Quý III/2026"], (2026, 2026)),
])
def test_a_horizon_stated_only_in_the_body_ends_the_period(body, cells, period):
    result = extract_metadata(f"{HEADER}\n{body}".splitlines(), cells)
    assert (result.fields["period_start"], result.fields["period_end"]) == period


@pytest.mark.parametrize("signature, signer", [
    ("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Hoàng Minh Tuấn", "Hoàng Minh Tuấn"),
    ("KT. BỘ TRƯỞNG THỨ TRƯỞNG (Đã ký) Nguyễn Thị Lan", "Nguyễn Thị Lan"),
    ("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH", None),
])
def test_a_signature_block_run_into_one_line_gives_the_name_after_the_title(signature: str, signer: str | None):
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", "Số: 7/KH-UBND", "Nghệ An, ngày 02 tháng 02 năm 2025", "KẾ HOẠCH",
             "Kiểm tra công vụ năm 2025", "I. MỤC ĐÍCH", "Nơi nhận:", "- Lưu: VT.", signature]
    assert extract_metadata(lines).fields["signer"] == signer


def test_side_by_side_columns_elsewhere_in_the_body_are_left_as_they_are():
    # a wide gap in a body line is no letterhead: without the motto or 'Nơi nhận' beside it, nothing moves
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", "Số: 7/KH-UBND", "Nghệ An, ngày 02 tháng 02 năm 2025", "KẾ HOẠCH",
             "Kiểm tra công vụ năm 2025", "Tổng số:      12 cơ quan", "CHỦ TỊCH", "Hoàng Minh Tuấn"]
    result = extract_metadata(lines)
    assert (result.fields["issuer"], result.fields["signer"]) == ("Ủy ban nhân dân tỉnh Nghệ An", "Hoàng Minh Tuấn")


@pytest.mark.parametrize("letterhead, province", [
    (["ỦY BAN NHÂN DÂN", "TỈNH BÌNH ĐỊNH"], "Bình Định"),  # "định" is a word of "quyết định", not a stop here
    (["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH"], "Nam Định"),
    (["UBND TỈNH THANH HÓA NĂM 2024"], "Thanh Hóa"),  # a phrase after the name still ends it
])
def test_a_province_name_in_capitals_ends_where_a_phrase_after_names_begins(letterhead, province):
    lines = [*letterhead, "Số: 12/KH-UBND", "Quy Nhơn, ngày 05 tháng 3 năm 2024", "KẾ HOẠCH",
             "Cải cách hành chính năm 2024", "PHỤ LỤC NHIỆM VỤ"]
    fields = extract_metadata(lines).fields
    assert (fields["issuer"], fields["level"], fields["province"]) == (f"Ủy ban nhân dân tỉnh {province}", "province", province)
    assert fields["title"] == "Kế hoạch cải cách hành chính năm 2024"  # the heading in capitals after it is not the title's


@pytest.mark.parametrize("letterhead, issuer, level, province, district", [
    (["BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH", "TỈNH HÀ TĨNH"], "Ban Chỉ đạo cải cách hành chính tỉnh Hà Tĩnh",
     "province", "Hà Tĩnh", None),
    (["BAN CHỈ ĐẠO CCHC TỈNH HÀ TĨNH"], "Ban Chỉ đạo CCHC tỉnh Hà Tĩnh", "province", "Hà Tĩnh", None),
    (["BAN CHỈ ĐẠO PHÁT TRIỂN KINH TẾ - XÃ HỘI", "HUYỆN HOẰNG HÓA"],  # "xã hội" is no commune
     "Ban Chỉ đạo phát triển kinh tế - xã hội huyện Hoằng Hóa", "district", None, "Hoằng Hóa"),
    (["HỘI ĐỒNG PHỐI HỢP PHỔ BIẾN,", "GIÁO DỤC PHÁP LUẬT TỈNH BẮC GIANG"],
     "Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Bắc Giang", "province", "Bắc Giang", None),
    (["HỘI ĐỒNG NHÂN DÂN", "TỈNH QUẢNG NINH"], "Hội đồng nhân dân tỉnh Quảng Ninh", "province", "Quảng Ninh", None),
    (["UBND TỈNH NGHỆ AN", "BAN CHỈ ĐẠO CCHC"], "Ban Chỉ đạo CCHC tỉnh Nghệ An", "province", "Nghệ An", None),
    # the parent's line and the department's joined into one by a text tool (markdown joins the two lines)
    (["UBND TỈNH QUẢNG TRỊ SỞ NỘI VỤ"], "Sở Nội vụ tỉnh Quảng Trị", "province", "Quảng Trị", None),
    (["UBND TỈNH NGHỆ AN BAN CHỈ ĐẠO CCHC"], "Ban Chỉ đạo CCHC tỉnh Nghệ An", "province", "Nghệ An", None),
    (["UBND HUYỆN HẢI LĂNG PHÒNG NỘI VỤ"], "Phòng Nội vụ huyện Hải Lăng", "district", None, "Hải Lăng"),
    (["ỦY BAN NHÂN DÂN TỈNH THANH HÓA"], "Ủy ban nhân dân tỉnh Thanh Hóa", "province", "Thanh Hóa", None),
    # a department printed with its own locality, on one line or wrapped
    (["SỞ TƯ PHÁP TỈNH NGHỆ AN"], "Sở Tư pháp tỉnh Nghệ An", "province", "Nghệ An", None),
    (["SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH TỈNH NGHỆ AN"], "Sở Văn hóa, Thể thao và Du lịch tỉnh Nghệ An", "province", "Nghệ An", None),
    (["CÔNG AN TỈNH HÀ TĨNH"], "Công an tỉnh Hà Tĩnh", "province", "Hà Tĩnh", None),
    (["BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI TỈNH HÀ TĨNH"], "Bảo hiểm xã hội tỉnh Hà Tĩnh", "province", "Hà Tĩnh", None),
    (["PHÒNG NỘI VỤ HUYỆN DIỄN CHÂU"], "Phòng Nội vụ huyện Diễn Châu", "district", None, "Diễn Châu"),
    (["BAN TUYÊN GIÁO TỈNH ỦY"], None, None, None, None),  # no province named
    # a department under its parent, its name wrapped at "và" or a comma; the parent's office
    (["UBND TỈNH NGHỆ AN", "SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG"], "Sở Thông tin và Truyền thông tỉnh Nghệ An", "province", "Nghệ An", None),
    (["UBND TỈNH NGHỆ AN", "SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"], "Sở Văn hóa, Thể thao và Du lịch tỉnh Nghệ An", "province", "Nghệ An", None),
    (["UBND TỈNH NGHỆ AN", "VĂN PHÒNG"], "Văn phòng Ủy ban nhân dân tỉnh Nghệ An", "province", "Nghệ An", None),
])
def test_a_body_of_a_locality_printed_before_it_is_the_issuer(letterhead, issuer, level, province, district):
    lines = [*letterhead, "Số: 12/KH-BCĐ", "Hà Tĩnh, ngày 05 tháng 3 năm 2024", "KẾ HOẠCH", "Hoạt động năm 2024",
             "Căn cứ Quyết định số 1/QĐ-UBND;"]
    fields = extract_metadata(lines).fields
    assert (fields["issuer"], fields["level"], fields["province"], fields["district"]) == (issuer, level, province, district)


@pytest.mark.parametrize("letterhead, issuer", [
    (["BỘ TƯ PHÁP", "CỤC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH"], "Cục Kiểm soát thủ tục hành chính Bộ Tư pháp"),
    (["BỘ NỘI VỤ VỤ CẢI CÁCH HÀNH CHÍNH"], "Vụ Cải cách hành chính Bộ Nội vụ"),  # the two lines joined by a text tool
    (["BỘ TÀI CHÍNH        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỔNG CỤC THUẾ        Độc lập - Tự do - Hạnh phúc"],
     "Tổng cục Thuế Bộ Tài chính"),
    (["BỘ NỘI VỤ", "VĂN PHÒNG"], "Văn phòng Bộ Nội vụ"),
    (["BỘ NỘI VỤ"], "Bộ Nội vụ"),
])
def test_a_department_printed_under_its_ministry_is_the_issuer(letterhead, issuer):
    lines = [*letterhead, "SỐ: 12/KH-BNV", "Hà Nội, ngày 05 tháng 3 năm 2024", "KẾ HOẠCH",
             "Cải cách hành chính năm 2024", "Căn cứ Nghị quyết số 76/NQ-CP;"]
    fields = extract_metadata(lines).fields
    assert (fields["issuer"], fields["level"], fields["province"]) == (issuer, "ministry", None)


def test_a_steering_committee_without_a_locality_is_no_issuer():
    lines = ["BAN CHỈ ĐẠO CÔNG TÁC XÃ HỘI", "Số: 12/KH-BCĐ", "ngày 05 tháng 3 năm 2024", "KẾ HOẠCH", "Hoạt động năm 2024"]
    assert extract_metadata(lines).fields["issuer"] is None


@pytest.mark.parametrize("letterhead, issuer, level, province, district", [
    (["TỈNH ỦY THANH HÓA", "*"], "Tỉnh ủy Thanh Hóa", "province", "Thanh Hóa", None),
    (["THÀNH ỦY HÀ NỘI"], "Thành ủy Hà Nội", "province", "Hà Nội", None),  # a centrally-run city
    (["ĐẢNG BỘ TỈNH THANH HÓA", "THÀNH ỦY SẦM SƠN"], "Thành ủy Sầm Sơn", "district", "Thanh Hóa", "Sầm Sơn"),
    (["ĐẢNG BỘ TỈNH THANH HÓA", "HUYỆN ỦY HOẰNG HÓA"], "Huyện ủy Hoằng Hóa", "district", "Thanh Hóa", "Hoằng Hóa"),
    (["ĐẢNG BỘ TỈNH THANH HÓA", "ĐẢNG ỦY XÃ HOẰNG ĐẠT"], "Đảng ủy xã Hoằng Đạt", "commune", "Thanh Hóa", None),
    # no "ĐẢNG BỘ TỈNH" line: the province of a district committee from the Tỉnh ủy its body names
    (["HUYỆN ỦY HOẰNG HÓA", "*"], "Huyện ủy Hoằng Hóa", "district", "Thanh Hóa", "Hoằng Hóa"),
])
def test_a_party_committee_heading_its_plan_is_the_issuer(letterhead, issuer, level, province, district):
    lines = [*letterhead, "Số 45-KH/TU", "ĐẢNG CỘNG SẢN VIỆT NAM", "Thanh Hóa, ngày 12 tháng 3 năm 2025",
             "KẾ HOẠCH thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
             "Thực hiện Nghị quyết số 57-NQ/TW và Kế hoạch của Ban Thường vụ Tỉnh ủy Thanh Hóa,"]
    fields = extract_metadata(lines).fields
    assert (fields["issuer"], fields["level"], fields["province"], fields["district"]) == (issuer, level, province, district)
    assert (fields["doc_type"], fields["plan_number"], fields["plan_date"]) == ("plan", "45-KH/TU", date(2025, 3, 12))
    # the subtitle in running case run on after the heading in capitals (a text tool joined the lines)
    assert fields["title"] == "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị"


def test_a_state_body_before_the_party_motto_is_still_read_as_before():
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA", "Số: 12/KH-UBND", "Thanh Hóa, ngày 12 tháng 3 năm 2025",
             "KẾ HOẠCH", "Cải cách hành chính năm 2025", "Căn cứ Luật Tổ chức chính quyền địa phương;"]
    fields = extract_metadata(lines).fields
    assert (fields["issuer"], fields["plan_number"], fields["title"]) == (
        "Ủy ban nhân dân tỉnh Thanh Hóa", "12/KH-UBND", "Kế hoạch cải cách hành chính năm 2025")
