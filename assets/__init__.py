"""Thin Dagster assets and checks: call sources/, run sql/, call dashboards/."""
