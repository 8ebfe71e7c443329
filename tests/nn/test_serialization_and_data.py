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


# ---------------------------------------------------------------------- safetensors and PyTorch's layout


def _model():
    nn.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3))


def test_safetensors_round_trip_restores_parameters_and_buffers(tmp_path):
    trained = _model()
    trained(Tensor(np.random.default_rng(0).normal(size=(4, 1, 4, 4))))  # moves the running statistics
    path = nn.save(trained, tmp_path / "model.safetensors")
    fresh = nn.load(_model(), path)
    for name, value in trained.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[name].data, value.data)
    state = nn.load(path)  # one argument: the state dict, in glassgrad's layout
    assert state["3.weight"].shape == (8, 3) and list(state) == list(trained.state_dict())


def test_safetensors_file_holds_pytorch_layout_and_names_glassgrad(tmp_path):
    from safetensors import safe_open

    path = nn.save(_model(), tmp_path / "model.safetensors")
    with safe_open(str(path), framework="numpy") as file:
        assert file.get_tensor("3.weight").shape == (3, 8)  # Linear: PyTorch's (out, in)
        assert file.metadata()["written_by"] == "glassgrad" and file.metadata()["module"] == "Sequential"
    torch_layout = nn.to_torch_state_dict(_model())
    assert torch_layout["3.weight"].shape == (3, 8) and torch_layout["0.weight"].shape == (2, 1, 3, 3)


def test_to_and_from_torch_state_dict_round_trip_without_torch():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    copy = nn.from_torch_state_dict(
        nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)), nn.to_torch_state_dict(model)
    )
    x = Tensor(np.random.default_rng(1).normal(size=(5, 2)))
    np.testing.assert_array_equal(copy(x).data, model(x).data)


def test_a_state_dict_saves_like_a_module_and_loads_with_one_argument(tmp_path):
    model = nn.Linear(2, 3)
    for name in ("state.npz", "state.safetensors"):
        nn.save(model.state_dict(), tmp_path / name)
        state = nn.load(tmp_path / name)
        fresh = nn.Linear(2, 3)
        fresh.load_state_dict(state)
        np.testing.assert_array_equal(fresh.weight.data, model.weight.data)


def test_load_says_when_the_file_does_not_exist(tmp_path):
    with pytest.raises(FileNotFoundError, match="there is no file at"):
        nn.load(nn.Linear(1, 1), tmp_path / "missing.safetensors")


def _safetensors_bytes(header: dict | bytes, data: bytes = b"", claimed: int | None = None) -> bytes:
    import json

    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return (len(raw) if claimed is None else claimed).to_bytes(8, "little") + raw + data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            _safetensors_bytes({"weight": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}, b"\0" * 8, 10**6),
            "header claims",
        ),
        (_safetensors_bytes(b"not json at all"), "header is not JSON"),
        (
            _safetensors_bytes({"weight": {"dtype": "X99", "shape": [1], "data_offsets": [0, 8]}}, b"\0" * 8),
            "dtype 'X99'",
        ),
        (
            _safetensors_bytes({"weight": {"dtype": "F64", "shape": [4], "data_offsets": [0, 32]}}, b"\0" * 8),
            "truncated",
        ),
    ],
    ids=["header_longer_than_file", "header_not_json", "unknown_dtype", "offsets_past_the_end"],
)
def test_load_refuses_damaged_safetensors_files_with_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        nn.load(nn.Linear(1, 1), path)


def test_load_names_missing_unexpected_and_wrong_shaped_keys(tmp_path):
    nn.save(nn.Linear(2, 3), tmp_path / "small.safetensors")
    with pytest.raises(RuntimeError, match=r"weight: shape \(2, 3\) in the state dict, \(4, 3\) in the model"):
        nn.load(nn.Linear(4, 3), tmp_path / "small.safetensors")
    nn.save({"weight": np.zeros((2, 3)), "extra": np.zeros(1)}, tmp_path / "odd.safetensors")
    with pytest.raises(RuntimeError, match=r"missing keys: bias; unexpected keys: extra"):
        nn.load(nn.Linear(2, 3), tmp_path / "odd.safetensors")
