"""The application layer: every user action is one function here, called alike by the command
line (bot/cli.py), the chat handlers (bot/) and any later interface, which only parse and render.

Each use case validates, writes through store/ in one transaction (with its audit row), and
re-plans the reminders it changes. Nothing here renders text or knows Telegram: users are named
by an Actor, refusals are typed errors the interfaces turn into one sentence of their catalogue.
"""
