"""The use cases: one function each, called by the command line, the bot and any later interface."""
