"""PCN finance: funding rules as data, entitlements, ARRS claims and income distribution."""
