"""Measuring the detectors on labelled data."""
