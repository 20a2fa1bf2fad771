"""The run: discovery, configuration, the rule set, file checks, workers, tenants, suppressions, baseline."""
