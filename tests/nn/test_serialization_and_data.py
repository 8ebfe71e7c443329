"""nn.save / nn.load, and mini-batches."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor
from nn.data import DataLoader, TensorDataset


def test_save_then_load_into_a_fresh_model_gives_identical_outputs(tmp_path):
    nn.manual_seed(0)
    trained = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    path = nn.save(trained, tmp_path / "model.npz")
    fresh = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    nn.load(fresh, path)
    x = Tensor(np.random.default_rng(1).normal(size=(6, 2)))
    np.testing.assert_array_equal(trained(x).data, fresh(x).data)


def test_save_writes_exactly_the_path_given(tmp_path):
    path = nn.save(nn.Linear(1, 1), tmp_path / "weights.bin")
    assert path == tmp_path / "weights.bin" and path.exists()


def test_load_refuses_an_npz_holding_python_objects_and_runs_nothing(tmp_path):
    ran = []

    class Payload:
        def __reduce__(self):
            return (ran.append, ("executed",))

    crafted = tmp_path / "crafted.npz"
    np.savez(crafted, **{"weight": np.array([Payload()], dtype=object)})
    with pytest.raises(ValueError, match="never loads"):
        nn.load(nn.Linear(1, 1), crafted)
    assert ran == []


def test_load_refuses_a_file_that_is_not_an_npz(tmp_path):
    bogus = tmp_path / "bogus.npz"
    bogus.write_text("hello")
    with pytest.raises(ValueError, match=r"not a file written by nn\.save"):
        nn.load(nn.Linear(1, 1), bogus)


def test_dataloader_batches_in_order_without_shuffle():
    loader = DataLoader(TensorDataset(np.arange(10), np.arange(10) * 2), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and [len(x) for x, _ in batches] == [4, 4, 2]
    assert isinstance(batches[0][0], Tensor)
    np.testing.assert_array_equal(batches[2][1].data, [16, 18])
    assert len(DataLoader(TensorDataset(np.arange(10)), batch_size=4, drop_last=True)) == 2


def test_dataloader_shuffle_is_repeatable_with_a_seed_and_changes_each_epoch():
    def epochs(seed):
        loader = DataLoader(TensorDataset(np.arange(20)), batch_size=5, shuffle=True, seed=seed)
        return [np.concatenate([b[0].data for b in loader]) for _ in range(2)]

    first, second = epochs(3), epochs(3)
    np.testing.assert_array_equal(first[0], second[0])
    assert not np.array_equal(first[0], first[1])
    assert sorted(first[0]) == list(range(20))


def test_dataset_arrays_must_have_one_length():
    with pytest.raises(ValueError, match="one length"):
        TensorDataset(np.arange(3), np.arange(4))


def test_init_functions_fill_in_place_with_the_right_spread():
    nn.manual_seed(0)
    w = nn.Parameter(np.zeros((400, 300)))
    assert nn.init.normal_(w, 0, 0.1) is w and abs(w.data.std() - 0.1) < 0.005
    nn.init.xavier_uniform_(w)
    assert np.abs(w.data).max() <= np.sqrt(6 / 700)
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert abs(w.data.std() - np.sqrt(2 / 400)) < 0.005
    nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    assert np.abs(w.data).max() <= np.sqrt(6 / 300)
    nn.init.zeros_(w)
    assert not w.data.any()
    with pytest.raises(ValueError, match="2 dimensions"):
        nn.init.xavier_uniform_(nn.Parameter(np.zeros(3)))
