"""The normalizer: a loader's raw data to Graph-shaped documents, checked against the JSON schemas."""
