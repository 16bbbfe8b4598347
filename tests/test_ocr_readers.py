"""The OCR threads of a document (parsers/ocr/tesseract.py): a long run of rectangles shared out among
them, never more Tesseract runs at once than threads, and loaded engines kept for the next page."""

from __future__ import annotations

import contextvars
import threading
import time

import pytest

from plantasks.parsers.ocr import tesseract
from plantasks.parsers.ocr.tesseract import _shares, give_back_engines, reading_slot, share_out, shared_readers
from ocr_support import TESSERACT, require_tesseract


def test_shares_are_consecutive_ranges_of_about_equal_weight():
    assert _shares([1.0] * 8, 4) == [range(0, 2), range(2, 4), range(4, 6), range(6, 8)]
    assert _shares([6.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 2) == [range(0, 1), range(1, 7)]
    assert _shares([1.0], 4) == [range(0, 1)]
    assert _shares([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 6.0], 2) == [range(0, 6), range(6, 7)]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_share_out_keeps_the_order_and_reads_every_item_once(count):
    items = list(range(23))
    seen: list[int] = []

    def read(part: list[int]) -> list[int]:
        seen.extend(part)
        return [i * 10 for i in part]

    with shared_readers(count):
        out = share_out(read, items, [1.0 + i % 5 for i in items])
    assert out == [i * 10 for i in items]
    assert sorted(seen) == items


def test_never_more_runs_at_once_than_readers():
    running, most = 0, 0
    lock = threading.Lock()

    def read(part: list[int]) -> list[int]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        with lock:
            running -= 1
        return part

    def page() -> None:  # a page's own run beside the shares of another page's cells
        with reading_slot():
            read([0])

    with shared_readers(2):
        pages = [threading.Thread(target=contextvars.copy_context().run, args=(page,)) for _ in range(3)]
        for thread in pages:
            thread.start()
        share_out(read, list(range(40)), [1.0] * 40)
        for thread in pages:
            thread.join()
    assert most == 2


def test_without_readers_everything_is_read_here_in_one_piece():
    calls = []
    assert share_out(lambda part: calls.append(threading.get_ident()) or part, [1, 2, 3], [1.0] * 3) == [1, 2, 3]
    assert calls == [threading.get_ident()]


def test_an_engine_given_back_is_taken_again_not_loaded_again(monkeypatch):
    require_tesseract()
    binary = TESSERACT
    if tesseract.api_engine(binary, "vie", 6) is None:
        pytest.skip("the Tesseract library (tesserocr) is not installed: the command is used")
    give_back_engines()
    import tesserocr

    made = []
    real = tesserocr.PyTessBaseAPI
    monkeypatch.setattr(tesserocr, "PyTessBaseAPI", lambda *a, **k: made.append(1) or real(*a, **k))
    first = tesseract.api_engine(binary, "vie", 6)
    give_back_engines()
    elsewhere = []
    thread = threading.Thread(target=lambda: elsewhere.append(tesseract.api_engine(binary, "vie", 6)) or give_back_engines())
    thread.start()
    thread.join()
    assert elsewhere == [first] and made == []
