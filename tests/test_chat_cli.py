"""`buocmoi chat`: the whole conversation with only the keyboard, through a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import run_cli

# question → screening → consent → referral: numbers press buttons, the rest is typed.
SCRIPT = [
    "/start",
    "1",  # Tiếng Việt
    "cần giấy tờ gì",  # a question
    "/menu",
    "2",  # Kiểm tra điều kiện vay
    "1",  # Tôi
    "1",  # Đã chấp hành xong án tù
    "có rồi",
    "03/2024",
    "2",  # Sản xuất, kinh doanh
    "50 triệu",
    "2",  # Không (no same-purpose debt)
    "1",  # Gửi yêu cầu cho cán bộ
    "1",  # Đồng ý gửi Công an và Ngân hàng
    "Nguyễn Văn An",
    "0912 345 678",
    "xã Đại Tâm, Mỹ Xuyên",
    "1",  # Gửi yêu cầu
]


def _chat(tmp_path: Path, lines: list[str], *args: str) -> list[dict[str, object]]:
    result = run_cli(
        "chat",
        "--json",
        *args,
        stdin="\n".join(lines) + "\n",
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/chat.db"},
        cwd=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert len(out) == len(lines)  # one line out per line in
    return [json.loads(line) for line in out]


def _text(line: dict[str, object]) -> str:
    return "\n".join(str(r["text"]) for r in line["replies"])  # type: ignore[attr-defined]


def test_question_screening_consent_referral_with_only_the_keyboard(tmp_path: Path) -> None:
    out = _chat(tmp_path, SCRIPT)
    assert "Chọn ngôn ngữ" in _text(out[0])
    assert "Căn cứ" in _text(out[2])  # the documents answer
    assert "Có khả năng đủ điều kiện" in _text(out[11])
    assert "Bạn có đồng ý không?" in _text(out[12])
    assert "Phường Mỹ Xuyên" in _text(out[16])
    assert "Mã hồ sơ của bạn: BM-" in _text(out[17])
    assert (tmp_path / "var" / "intake.token").exists()


def test_the_conversation_continues_in_a_new_process(tmp_path: Path) -> None:
    _chat(tmp_path, SCRIPT[:7])  # stops before the certificate question
    (line,) = _chat(tmp_path, ["1"])  # "1": the first choice, "Có rồi"
    assert "4." in _text(line)
    mine = _chat(tmp_path, ["/dulieu"], "--user", "someone-else")
    assert "chưa gửi yêu cầu nào" in _text(mine[0])


def test_human_readable_output_numbers_the_buttons(tmp_path: Path) -> None:
    result = run_cli(
        "chat",
        stdin="/start\n3\n",
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/chat.db"},
        cwd=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "  [1] 🇻🇳 Tiếng Việt" in result.stdout
    assert "Hello!" in result.stdout and "  [2] ✅ Check eligibility" in result.stdout
