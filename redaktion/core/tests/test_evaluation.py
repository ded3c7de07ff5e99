import pytest

from redaktion.core import evaluation


def test_split_is_stable_balanced_and_independent_of_order():
    ids = [f"article-{n}" for n in range(2000)]
    parts = evaluation.split(ids, key=str)

    assert sorted(parts[evaluation.TUNING] + parts[evaluation.CHECK]) == sorted(ids)
    assert set(parts[evaluation.TUNING]).isdisjoint(parts[evaluation.CHECK])
    assert 900 < len(parts[evaluation.CHECK]) < 1100
    again = evaluation.split(reversed(ids), key=str)
    assert set(again[evaluation.CHECK]) == set(parts[evaluation.CHECK])
    # Adding items never moves an existing one to the other part.
    more = evaluation.split([*ids, *(f"new-{n}" for n in range(500))], key=str)
    assert set(parts[evaluation.CHECK]) <= set(more[evaluation.CHECK])


def test_check_share_sets_the_size_of_the_check_part():
    ids = [str(n) for n in range(4000)]
    parts = evaluation.split(ids, key=str, check_share=0.25)
    assert 900 < len(parts[evaluation.CHECK]) < 1100


def test_bootstrap_interval_holds_the_mean_and_narrows_with_more_items():
    few = evaluation.bootstrap([0.0, 1.0] * 20)
    many = evaluation.bootstrap([0.0, 1.0] * 2000)

    assert few.mean == pytest.approx(0.5)
    assert few.low < 0.5 < few.high
    assert (many.high - many.low) < (few.high - few.low) / 5
    assert str(few).startswith("0.5000 [")


def test_paired_difference_tells_a_real_gain_from_noise():
    baseline = [0.0, 1.0, 0.5, 0.25] * 100
    better = [score + 0.1 for score in baseline]
    noisy = [score + (0.1 if n % 2 else -0.1) for n, score in enumerate(baseline)]

    gain = evaluation.paired_difference(better, baseline)
    assert gain.mean == pytest.approx(0.1)
    assert gain.low > 0
    noise = evaluation.paired_difference(noisy, baseline)
    assert noise.low < 0 < noise.high


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        evaluation.bootstrap([])
    with pytest.raises(ValueError):
        evaluation.paired_difference([1.0], [1.0, 0.0])
