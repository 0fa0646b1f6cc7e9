"""Downloads follow the pages' reporting rule: no rank among fewer than min_ranked_areas areas."""

import pandas as pd

from dashboards.rules import Rules


def test_ranks_among_too_few_areas_are_blanked_and_the_rest_kept():
    frame = pd.DataFrame(
        {
            "area_code": ["A", "B", "C", "D"],
            "score": [50.0, 40.0, 30.0, 20.0],
            "rank": [1, 2, 1, 1],
            "n_ranked": [296, 296, 2, None],
            "quintile": [1, 1, None, None],
            "median_rank": [1.0, 3.0, 1.0, 1.0],
        }
    )
    shown = Rules(min_ranked_areas=5).without_small_ranks(frame)
    assert shown["rank"].tolist()[:2] == [1, 2] and shown["median_rank"].tolist()[:2] == [1.0, 3.0]
    assert shown.loc[2:, ["rank", "quintile", "median_rank"]].isna().all().all()
    assert shown["score"].tolist() == frame["score"].tolist()  # only the order is withheld
    assert frame["rank"].tolist() == [1, 2, 1, 1]  # the input is not changed


def test_a_table_without_n_ranked_is_returned_as_it_is():
    frame = pd.DataFrame({"rank": [1]})
    assert Rules().without_small_ranks(frame) is frame


def test_a_higher_minimum_blanks_more():
    frame = pd.DataFrame({"rank": [1, 1], "n_ranked": [6, 9]})
    assert Rules(min_ranked_areas=8).without_small_ranks(frame)["rank"].tolist() == [None, 1]
