"""Pure Python readers for each publisher's releases. No Dagster here: assets/ wraps these."""
