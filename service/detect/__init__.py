"""Detectors: each module has one entry point `detect(review, context) -> DetectorResult`; pure, no I/O."""
