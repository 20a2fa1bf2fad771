"""The offline what-if evaluator: which Conditional Access policies apply to a sign-in, and what they require."""
