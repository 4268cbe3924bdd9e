"""Understanding what people type as they really write it: typed requests to act (intents), numbers
in words ("1 tỷ rưỡi", "khoảng 40 người"), relative dates ("năm ngoái", "hồi Tết"), a phone number
inside a sentence. Pure functions over folded text (no diacritics needed), no I/O."""
