"""Benchmarks of the reminder engine at the sizes the issue promises; `python -m bench` runs them all."""
