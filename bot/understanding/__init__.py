"""Understanding what people type as they really write it (issue 17), pure functions over text, no I/O:
which language a message is in, Khmer tokens, small talk, crisis, one FAQ matcher per language
(`Understander`); typed requests to act (intents), numbers in words ("1 tỷ rưỡi", "khoảng 40 người"),
relative dates ("năm ngoái", "hồi Tết"), a phone number inside a sentence."""
