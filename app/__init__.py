"""The use cases: each one function that the command line, the bot and any later interface call."""
