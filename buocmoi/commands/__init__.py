"""One module per `buocmoi` sub-command; each exposes `register(subparsers)`."""
