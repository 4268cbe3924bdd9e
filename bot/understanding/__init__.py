"""Language understanding beyond one Vietnamese FAQ matcher (issue 17): which language a message is in,
Khmer tokens, small talk, crisis, and one matcher per language (`Understander`)."""
