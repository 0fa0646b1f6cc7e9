"""The one grammar helper every page uses: ordinals, plurals, place names, SMC categories, basis notes."""

from __future__ import annotations

import pytest

from dashboards import rules, words


@pytest.mark.parametrize(
    "n,expected",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (14, "14th"),
        (20, "20th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (100, "100th"),
        (101, "101st"),
        (102, "102nd"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (121, "121st"),
        (1001, "1,001st"),
        (2.0, "2nd"),
        (2.6, "3rd"),
    ],
)
def test_ordinals(n, expected):
    assert words.ordinal(n) == expected


def test_missing_ordinal_is_empty():
    assert words.ordinal(None) == "" and words.ordinal(float("nan")) == ""


def test_plurals_and_verbs():
    assert words.count(1, "area") == "1 area" and words.count(2, "area") == "2 areas"
    assert words.count(1, "authority", "authorities") == "1 authority"
    assert words.count(1234, "authority", "authorities") == "1,234 authorities"
    assert (words.was_were(1), words.was_were(2), words.was_were(0)) == ("was", "were", "were")
    assert (words.has_have(1), words.has_have(3)) == ("has", "have")


@pytest.mark.parametrize(
    "name,expected",
    [
        ("London", "in London"),
        ("East Midlands", "in the East Midlands"),
        ("North East", "in the North East"),
        ("South West", "in the South West"),
        ("East of England", "in the East of England"),
        ("Yorkshire and The Humber", "in Yorkshire and The Humber"),
    ],
)
def test_in_place(name, expected):
    assert words.in_place(name) == expected


@pytest.mark.parametrize(
    "z,label",
    [
        (-2.14, "Least favourable"),
        (-1.523, "Least favourable"),
        (-1.49, "Unfavourable"),
        (-1.004, "Unfavourable"),
        (-0.995, "Lower middling"),
        (-0.5, "Lower middling"),
        (-0.496, "Middling"),
        (0.216, "Middling"),
        (0.496, "Middling"),
        (0.513, "Upper middling"),
        (0.985, "Upper middling"),
        (1.019, "Favourable"),
        (1.49, "Favourable"),
        (1.517, "Most favourable"),
        (4.258, "Most favourable"),
    ],
)
def test_smc_categories_match_the_commissions_bands(z, label):
    # The edge values are the published extremes of each category in CI1 2.0 (group_number 1 to 7).
    assert words.smc_category(z) == label


def test_basis_notes_in_plain_words():
    assert (
        words.basis_note("inherited", "Nottinghamshire", "Mansfield")
        == "Nottinghamshire figure; not published for Mansfield."
    )
    assert words.basis_note("own", "Mansfield", "Mansfield") == ""
    assert "former council areas" in words.basis_note("summed", None, "North Yorkshire")
    assert words.basis_note("sum", None, "D2N2") == "Worked out by adding up its local authorities."


def test_a_merged_area_with_a_missing_value_is_not_said_to_be_added_up_nor_confidential():
    """North Yorkshire's 2022 low pay: some of its former districts' ASHE estimates are withheld as
    unreliable (ASHE's x), so there is no sum; the tile must say neither "added up" nor
    "confidentiality"."""
    from dashboards import tiles

    meta = {
        "indicator_id": "jobs_below_living_wage_count",
        "title": "Jobs",
        "unit": "count",
        "polarity": "lower_is_better",
    }
    note = words.basis_note("summed", None, "North Yorkshire", has_value=False)
    assert note == "Not worked out: not every former council area that now makes up North Yorkshire has a figure."
    assert words.basis_note("summed", None, "North Yorkshire").startswith("Added up from the former")
    row = dict.fromkeys(tiles.TABLE_COLUMNS)
    row.update(
        indicator_id=meta["indicator_id"],
        period="2022",
        observation_status="suppressed",
        basis="summed",
        basis_note=note,
        source_id="living_wage_ashe",
    )
    tile, _ = tiles._tile(meta, [row], "", False)
    assert "Not published by the ONS: its survey estimate here is too unreliable." in tile
    assert "confidential" not in tile and "Added up" not in tile and note in tile
    assert tiles.text.status_words("suppressed") == "Suppressed to protect confidentiality"  # other sources


def test_reporting_rules_need_at_least_five_ranked_areas(tmp_path):
    loaded = rules.load()
    assert loaded.min_ranked_areas >= 5
    assert not loaded.rank_shown(1, 4) and loaded.rank_shown(1, 5) and not loaded.rank_shown(None, 300)
    config = tmp_path / "c.yaml"
    config.write_text("reporting:\n  min_ranked_areas: 2\n")
    with pytest.raises(ValueError, match="min_ranked_areas"):
        rules.load(config)


def test_a_rank_range_of_one_place_reads_always():
    assert words.rank_range(8, 8) == "always 8th" and words.rank_range(3, 19) == "3rd to 19th"
    assert words.rank_range(None, 4) == ""


def test_a_short_total_and_a_tiny_change_read_right():
    from dashboards import igplus_view

    assert words.basis_note("sum", None, "X", used=0, total=2) == (
        "Not added up: none of its 2 local authorities has a figure, so a total would be short."
    )
    assert words.basis_note("sum", None, "X", used=1, total=2).startswith(
        "Not added up: only 1 of its 2 local authorities has"
    )
    assert [igplus_view._signed(v) for v in (-0.04, 0.04, 0.0, -0.06, 2.34)] == ["0.0", "0.0", "0.0", "-0.1", "+2.3"]


def test_a_value_from_a_provisional_release_is_said_to_be_provisional():
    """ASHE keeps observation_status NULL and says "2022 provisional" in release only: the tile
    and its table must still say the figure is provisional (a revised release is not)."""
    from dashboards import tiles

    meta = {"indicator_id": "jobs_below_living_wage_pct", "title": "Low pay", "unit": "percent", "polarity": None}

    def tile(release):
        row = dict.fromkeys(tiles.TABLE_COLUMNS)
        row.update(indicator_id=meta["indicator_id"], period="2022", value=20.7, release=release)
        return tiles._tile(meta, [row], "", False)[0]

    provisional = tile("2022 provisional")
    assert '<p class="tile-note">Provisional.</p>' in provisional and "<td>Provisional</td>" in provisional
    assert "Provisional" not in tile("2022 revised")
