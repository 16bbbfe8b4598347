"""Header cells are mapped to column roles by their words, whatever the order, wording or OCR damage."""

import pytest

from plantasks.parsers.columns import header_map, is_same_as_above

CASES = [
    (["TT", "Nội dung thực hiện", "Sản phẩm, kết quả", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
     ("stt", "content", "outputs", "lead", "support", "deadline")),
    (["STT", "Nhiệm vụ", "Kết quả/sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
     ("stt", "content", "outputs", "lead", "support", "deadline")),
    (["TT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan thực hiện", "Thời gian thực hiện"],
     ("stt", "content", "outputs", "performer", "deadline")),
    (["STT", "Nhiệm vụ/Hoạt động cụ thể", "Sản phẩm, kết quả đầu ra", "Đơn vị thực hiện", "Thời hạn", "Kinh phí", "Ghi chú"],
     ("stt", "content", "outputs", "performer", "deadline", "funding", "extra")),
    (["Số TT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Thời gian", "Kinh phí thực hiện"],
     ("stt", "content", "lead", "support", "deadline", "funding")),
    (["TT", "Thời gian", "Nội dung", "Cơ quan thực hiện", "Sản phẩm"],
     ("stt", "deadline", "content", "performer", "outputs")),
    (["TT", "Nhiệm vụ", "Cơ quan chủ trì, phối hợp", "Thời hạn", "Kinh phí"],
     ("stt", "content", "performer", "deadline", "funding")),
    (["T T", "Nôi dung thuc hiên", "Sàn phẩm", "Co quan chủ tri", "Phối hơp", "Thòi gian"],
     ("stt", "content", "outputs", "lead", "support", "deadline")),
    (["STT", "NHIỆM VỤ", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "TIẾN ĐỘ THỰC HIỆN"],
     ("stt", "content", "lead", "support", "deadline")),
    # a coarse scan cuts a header's last letters, or reads specks between its words as marks
    (["TT", "Nội dung nhiệm vụ", "Cơ quan chủ tr", "Đơn vị phối hợ", "Thời gian"],
     ("stt", "content", "lead", "support", "deadline")),
    (["STT", "Tên đề án", "Cơ quan _ chủ trì", "Cơ quan tham gia - thẩm tra", "Tiến độ ' thực hiện"],
     ("stt", "content", "lead", "support", "deadline")),
    # the doer named as the body that advises or is the focal point; the year as the time; the leader in charge
    (["TT", "Nội dung", "Đơn vị tham mưu", "Cơ quan tham gia", "Năm hoàn thành", "Lãnh đạo UBND tỉnh phụ trách"],
     ("stt", "content", "lead", "support", "deadline", "extra")),
    (["STT", "Tên văn bản", "Cơ quan đầu mối", "Cấp trình", "Người chịu trách nhiệm", "Năm thực hiện"],
     ("stt", "content", "lead", "extra", "extra", "deadline")),
]


@pytest.mark.parametrize("cells, roles", CASES, ids=[" | ".join(c[:3]) for c, _ in CASES])
def test_header_roles(cells, roles):
    found = header_map(cells)
    assert found is not None and found[0].roles == roles


@pytest.mark.parametrize("cells", [
    ["1", "Báo cáo kết quả", "Báo cáo kết quả", "Sở Nội vụ", "Các cơ quan", "Thời gian quy định"],
    ["I", "Cải cách thể chế", "", "", "", ""],
    ["Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"],
    ["2", "Xây dựng kế hoạch thời gian thực hiện nhiệm vụ của các cơ quan chủ trì và phối hợp trong năm", "Kế hoạch", "Sở Nội vụ", "Sở Tư pháp", "Quý I"],
])
def test_data_rows_are_not_headers(cells):
    assert header_map(cells) is None


def test_text_that_ocr_put_into_a_header_cell_is_kept_as_leftover():
    _, leftovers = header_map(["STT", "Nhiệm vụ", "Kết quả/sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp thành phố", "Thời gian thực hiện"])
    assert leftovers == ["", "", "", "", "thành phố", ""]


def test_a_parenthesised_qualifier_is_header_wording_not_leftover():
    columns, leftovers = header_map(["TT", "Nội dung", "Trách nhiệm thực hiện", "Thời gian\n(Năm 2031)",
                                     "Kinh phí (triệu đồng)"])
    assert columns.roles[3:] == ("deadline", "funding")
    assert leftovers == ["", "", "", "", ""]
    _, leftovers = header_map(["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành (quý) Quý II"])
    assert leftovers[3] == "Quý II"  # text after the qualifier is still the row's


@pytest.mark.parametrize("text, expected", [
    ("nt", True), ("Nt.", True), ("- nt -", True), ("(nt)", True), ("Như trên", True), ("NHƯ TRÊN", True),
    ('"', True), ("“", True), ("-//-", True),
    ("", False), ("-", False), ("Sở Nội vụ", False), ("Như trên và Sở Tư pháp", False), ("NT Sở", False),
])
def test_a_same_as_above_mark_is_the_whole_cell(text, expected):
    assert is_same_as_above(text) is expected
