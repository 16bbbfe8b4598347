"""No text, however mangled, makes the pipeline raise: plan fragments shuffled, cut and damaged."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantasks.parsers.metadata import extract_metadata
from plantasks.pipeline.extract import extract_bytes

FRAGMENTS = [
    "PHỤ LỤC SỐ 01:", "Phụ lục", "CÁC NHIỆM VỤ TRỌNG TÂM VỀ CẢI CÁCH THỂ CHẾ", "QUYẾT ĐỊNH", "KẾ HOẠCH",
    "Số: 12/QĐ-UBND", "Số: /KH-UBND", "ngày  tháng 12 năm 2023", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "BỘ NỘI VỤ",
    "\tTT", "\tNội dung thực hiện", "\tCơ quan chủ trì", "\tCơ quan phối hợp", "\tThời gian", "\t1.", "\tI",
    "TT\tNội dung\tSản phẩm\tChủ trì\tPhối hợp\tThời gian", "1\tRà soát\tBáo cáo\tSở Tư pháp\tCác sở\tQuý II/2024",
    "\t\t\t\thuyện, thành phố\t", "| STT | Nhiệm vụ | Chủ trì | Thời hạn |", "|---|---|", "| 1 | a | b |",
    "<ul style=\"x\"> - A; - B.", "- Sở Nội vụ;", "Thường xuyên", "Quý 11/2024", "9.17.11", "", " , x", "(", "|",
    "\f", "Nơi nhận:", "Lê Văn A", "KT. CHỦ TỊCH", "(Ban hành kèm theo Quyết định số 4951/QĐ-UBND ngày 25 tháng 12 năm 2023)",
]

lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_extraction_never_raises(parts):
    data = "\n".join(parts).encode("utf-8", errors="surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    result = extract_bytes(data, "fuzz.txt").result
    assert result.document.status in {"success", "partial", "failed"}
    assert all(t.content is not None for t in result.tasks)


@settings(max_examples=200, deadline=None)
@given(lines)
def test_metadata_never_raises(parts):
    extract_metadata(parts)
