"""What the bot and the API agree on: the data of buttons, the bodies the bot's API client sends
and reads, and the shape of an error. Both `bot/` and `api/` import it; it imports neither (only
`content/`, the policy as data), so the bot still reaches the API only over HTTP."""
