"""Use cases, one module per feature: plain arguments in, view models or outcomes out."""
