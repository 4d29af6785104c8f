"""Benchmarks: each prints figures against the floor it stands on (`python -m bench.<name>`)."""
