"""Synthetic imaging of the model: an MRI-like slice computed from the surfaces (numpy only)."""
