"""JSON: parsing with member offsets, and locating a pointer's value in the text."""
