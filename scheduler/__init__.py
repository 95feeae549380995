"""Reminder policy, planning of Reminder rows, the dispatcher, and the APScheduler wiring."""
