"""YAML: parsing with positions from the parser's marks."""
