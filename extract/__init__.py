"""Document extraction: plan text in, ExtractedPlan out (see extract.plan.extract_plan)."""
from __future__ import annotations

__all__ = ["extract_plan"]


def __getattr__(name: str):
    # Imported on first use, so `import extract.unitnames` does not pull in dateparser.
    if name == "extract_plan":
        from extract.plan import extract_plan

        return extract_plan
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
