"""Models of the works app."""
