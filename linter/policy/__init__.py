"""How a policy reads: does it apply to a sign-in, what does it require (shared by `whatif` and the rules)."""
