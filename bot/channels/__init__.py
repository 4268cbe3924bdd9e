"""Channel adapters: each turns its platform's updates into engine events and renders the engine's
replies for it (Telegram inline keyboards, numbered text choices on Zalo, HTML on the web)."""
