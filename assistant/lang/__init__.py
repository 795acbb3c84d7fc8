"""Facts about the Swedish language that several stages share (month names), read from ``assistant/data/sv/``."""
