"""The application layer: one function per use case, called by the command line and the bot alike."""
