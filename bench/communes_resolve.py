"""Benchmark: resolves per second of `content.communes.resolve` (indexes built before timing).

Run: .venv/bin/python bench/communes_resolve.py [SECONDS]
"""

from __future__ import annotations

import sys
import time

from content.communes import resolve

QUERIES = [
    "Mỹ Xuyên",
    "phuong my xuyen",
    "xa ke sach",
    "xã Đại Tâm, Mỹ Xuyên",
    "xa dai tam my xuyen soc trang",
    "TT Huỳnh Hữu Nghĩa, H. Mỹ Tú",
    "P.5 TP Sóc Trăng",
    "phuong 5 tp soc trang",
    "ấp 3, xã Thạnh Quới, huyện Mỹ Xuyên, tỉnh Sóc Trăng",
    "Phường 1",
    "abc xyz",
    "Hà Nội Hoàn Kiếm",
]


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    start = time.perf_counter()
    for text in QUERIES:
        resolve(text)
    print(f"first call (builds indexes): {time.perf_counter() - start:.2f} s")
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in QUERIES:
            resolve(text)
        count += len(QUERIES)
    elapsed = time.perf_counter() - start
    print(f"{count / elapsed:,.0f} resolves/second ({elapsed / count * 1000:.3f} ms each)")


if __name__ == "__main__":
    main()
