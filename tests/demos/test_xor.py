"""The main demo runs end to end and learns XOR."""

from __future__ import annotations

from demos import xor


def test_xor_demo_predicts_0_1_1_0(capsys):
    xor.main(["--seed", "0"])
    out = capsys.readouterr().out
    assert "[[0]\n [1]\n [1]\n [0]]" in out
    assert "training done!" in out
