"""Matching: candidates to work opportunities and back."""
