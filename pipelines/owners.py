"""Who answers for each asset in the Dagster UI: by layer, so a new asset gets an owner without
anyone remembering to add one. Dagster owners are e-mail addresses or `team:<name>`."""

from __future__ import annotations

import dagster as dg

OWNERS = {
    "raw": "team:data-acquisition",  # fetching, mirrors, the raw archive
    "landing": "team:data-acquisition",  # parsers and their reconciliations
    "staging": "team:data-engineering",  # harmonisation and the IG+ steps
    "marts": "team:data-engineering",  # the published tables
    "publish": "team:operations",  # the published warehouse and the site
}
DEFAULT_OWNER = "team:data-engineering"


def with_owners(assets: list) -> list:
    def own(spec: dg.AssetSpec) -> dg.AssetSpec:
        if spec.owners:
            return spec
        return spec.replace_attributes(owners=[OWNERS.get(spec.group_name or "", DEFAULT_OWNER)])

    return [a.map_asset_specs(own) if isinstance(a, dg.AssetsDefinition) else a for a in assets]
