"""The built-in rules, one module per rule; shipped as `linter.rules`."""
