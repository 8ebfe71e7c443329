"""Every demo runs end to end (small settings where the full run is long) and writes valid files."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from demos import blog_layers, digits, mnist, moons, sine, sort, xor

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(path):
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    with Image.open(path) as image:
        low, high = image.convert("L").getextrema()
        assert high - low > 50  # not a blank picture


def test_xor_demo_learns_xor_prints_like_the_blog_and_draws(tmp_path, capsys):
    xor.main(["--seed", "0", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "training done! step" in out
    assert "predictions\n[[0]\n [1]\n [1]\n [0]]" in out
    losses = [float(line) for line in out.splitlines()[:5]]
    assert losses == sorted(losses, reverse=True)  # printed every 200 steps, going down
    assert_png(tmp_path / "xor_graph.png")
    assert_png(tmp_path / "xor_gradients.png")
    steps = list(xor.forward(*xor.build(0))["loss"].backward_steps())
    with Image.open(tmp_path / "xor_backward.gif") as gif:
        assert gif.n_frames == len(steps) + 1 == 11  # before backward, then one per chain-rule step


def test_xor_graph_uses_the_blogs_names():
    values = xor.forward(*xor.build(0))
    import viz

    dot = viz.to_dot(values["loss"])
    for name in ["O0", "a1", "O1", "a2", "y", "loss", "W1", "b1", "W2", "b2"]:
        assert f"<B>{name}</B>" in dot


def test_blog_layers_demo_reports_the_relu_gradcheck_failure(tmp_path, capsys):
    results = blog_layers.main(["--seeds", "2", "--steps", "8000", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    blog_line = next(line for line in out.splitlines() if "the blog's Relu" in line)
    assert "FAILED" in blog_line and "input 0" in blog_line and "analytical gradient" in blog_line
    assert "numerical gradient" in blog_line
    assert "corrected Relu:  passed" in out
    assert (tmp_path / "steps.csv").read_text().startswith("seed,blog_relu,corrected_relu")
    assert results["corrected"][0] is not None and results["blog"][0] is not None
    assert results["corrected"][0] < results["blog"][0]  # seed 0: the bug slows training down


def test_digits_demo_reaches_97_percent_on_held_out_digits(tmp_path):
    result = digits.main(["--seed", "0", "--out", str(tmp_path), "--no-progress"])
    assert result["accuracy"] >= 0.97
    assert_png(tmp_path / "digits_curves.png")
    assert_png(tmp_path / "digits_mistakes.png")


def test_moons_demo_separates_the_moons_and_draws_the_boundary(tmp_path):
    result = moons.main(["--seed", "0", "--out", str(tmp_path)])
    assert result["accuracy"] > 0.95
    assert result["losses"][-1] < result["losses"][0] / 5
    assert_png(tmp_path / "moons_boundary.png")


@pytest.mark.parametrize("demo", [xor, blog_layers, digits, moons])
def test_every_demo_has_help_seed_and_out(demo, capsys):
    with pytest.raises(SystemExit) as done:
        demo.main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "--seed" in text and "--out" in text


def test_xor_training_is_repeatable_with_a_seed():
    first = xor.train(2, verbose=False)
    second = xor.train(2, verbose=False)
    assert first[1] == second[1] and np.array_equal(first[0], second[0])


def test_mnist_demo_trains_lenet_on_real_digits_and_draws_every_picture(tmp_path, capsys):
    # Small settings (2,000 training images, 3 epochs); the full run reaches 97% (docs/cnn.md).
    result = mnist.main(["--train", "2000", "--epochs", "3", "--no-progress", "--out", str(tmp_path)])
    assert "test accuracy" in capsys.readouterr().out
    assert result["accuracy"] > 0.8  # far above the 10% of guessing
    assert result["history"]["loss"][1] < result["history"]["loss"][0]
    for name in ("curves", "filters", "feature_maps", "mistakes", "graph"):
        assert_png(tmp_path / f"mnist_{name}.png")


def test_mnist_split_is_balanced_and_disjoint():
    x_train, y_train, x_test, y_test = mnist.load(0)
    assert x_train.shape == (4000, 1, 28, 28) and x_test.shape == (1000, 1, 28, 28)
    assert np.bincount(y_train).tolist() == [400] * 10 and np.bincount(y_test).tolist() == [100] * 10
    assert x_train.min() >= 0.0 and x_train.max() <= 1.0
    train_rows = {row.tobytes() for row in x_train.reshape(4000, -1)}
    assert not any(row.tobytes() in train_rows for row in x_test.reshape(1000, -1))


def test_sine_demo_lstm_predicts_the_held_out_cosine(tmp_path, capsys):
    result = sine.main(["--epochs", "6", "--out", str(tmp_path)])
    assert "test MSE" in capsys.readouterr().out
    assert result["test_mse"] < 0.05  # a constant guess scores 0.5 on a cosine
    assert result["losses"][-1] < result["losses"][0] / 5
    assert_png(tmp_path / "sine_prediction.png")


def test_sort_demo_transformer_learns_to_sort_held_out_sequences(tmp_path, capsys):
    result = sort.main(["--steps", "120", "--no-progress", "--out", str(tmp_path)])
    assert "exact-match accuracy" in capsys.readouterr().out
    assert result["accuracy"] > 0.5  # chance of sorting 6 digits by guessing is (1/3)^6
    assert np.mean(result["losses"][-10:]) < np.mean(result["losses"][:10]) / 3
    assert_png(tmp_path / "sort_attention.png")


def test_sort_split_holds_out_a_quarter_of_the_sequences():
    train_sequences, held_out = sort.split(0)
    assert len(train_sequences) + len(held_out) == 3**6 and len(held_out) == 182
    assert not {tuple(s) for s in train_sequences} & {tuple(s) for s in held_out}
    inputs, targets = sort.examples(np.array([[2, 0, 1, 1, 0, 2]]))
    assert inputs.tolist() == [[2, 0, 1, 1, 0, 2, 0, 0, 1, 1, 2]] and targets[0, -6:].tolist() == [0, 0, 1, 1, 2, 2]
