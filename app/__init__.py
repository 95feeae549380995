"""The use cases: each one function the command line, the bot and any later interface call; they only render."""
