"""Recurrent layers: `RNNCell`, `LSTMCell`, `GRUCell` (one time step) and `RNN`, `LSTM`, `GRU`
(the cell unrolled over a sequence, stacked `num_layers` deep), with PyTorch's parameters.

The unrolled loop is the lesson: backpropagation through time is the engine's ordinary backward
pass through the unrolled graph. Each time step runs in its own name scope, so `viz` draws one
box per step. Truncated backprop through time is `h.detach()` between chunks.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor, scope, stack
from nn import init
from nn.functional.checks import as_tensor
from nn.module import Module
from nn.parameter import Parameter

# ---------------------------------------------------------------------- one time step, as math


# Each step takes `weights` = (W_ihᵀ, W_hhᵀ, b_ih, b_hh): transposed once per sequence, not per step.


def rnn_step(x: Tensor, h: Tensor, weights: tuple, nonlinearity: str) -> Tensor:
    """h' = f(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), f = tanh or relu."""
    pre = _affine(x, weights[0], weights[2]) + _affine(h, weights[1], weights[3])
    return pre.tanh() if nonlinearity == "tanh" else pre.relu()


def lstm_step(x: Tensor, state: tuple[Tensor, Tensor], weights: tuple) -> tuple[Tensor, Tensor]:
    """Gates i, f, g, o (PyTorch's order) from x W_ihᵀ + b_ih + h W_hhᵀ + b_hh:
    c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(c')."""
    h, c = state
    gates = _affine(x, weights[0], weights[2]) + _affine(h, weights[1], weights[3])
    i, f, g, o = _split(gates, 4)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c.tanh(), c


def gru_step(x: Tensor, h: Tensor, weights: tuple) -> Tensor:
    """Gates r, z, n (PyTorch's order): r = σ(x_r + h_r), z = σ(x_z + h_z),
    n = tanh(x_n + r ⊙ h_n), h' = (1 - z) ⊙ n + z ⊙ h, with x_· = x W_ihᵀ + b_ih, h_· = h W_hhᵀ + b_hh."""
    x_r, x_z, x_n = _split(_affine(x, weights[0], weights[2]), 3)
    h_r, h_z, h_n = _split(_affine(h, weights[1], weights[3]), 3)
    r, z = (x_r + h_r).sigmoid(), (x_z + h_z).sigmoid()
    n = (x_n + r * h_n).tanh()
    return (1 - z) * n + z * h


def _affine(x: Tensor, weight_t: Tensor, bias: Tensor | None) -> Tensor:
    out = x @ weight_t
    return out if bias is None else out + bias


def _split(gates: Tensor, count: int) -> list[Tensor]:
    size = gates.shape[-1] // count
    return [gates[..., k * size : (k + 1) * size] for k in range(count)]


STEPS = {"RNN": 1, "LSTM": 4, "GRU": 3}  # gates per kind


def _parameters(module: Module, suffix: str, input_size: int, hidden_size: int, gates: int, bias: bool) -> None:
    """weight_ih, weight_hh, bias_ih, bias_hh (with `suffix`), all from U(-1/√hidden, 1/√hidden)."""
    bound = 1 / math.sqrt(hidden_size)
    shapes = {"weight_ih": (gates * hidden_size, input_size), "weight_hh": (gates * hidden_size, hidden_size)}
    if bias:
        shapes |= {"bias_ih": (gates * hidden_size,), "bias_hh": (gates * hidden_size,)}
    for name, shape in shapes.items():
        setattr(module, name + suffix, init.uniform_(Parameter(np.zeros(shape)), -bound, bound))
    if not bias:
        setattr(module, "bias_ih" + suffix, None)
        setattr(module, "bias_hh" + suffix, None)


# ---------------------------------------------------------------------- cells


class _Cell(Module):
    kind: str

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True) -> None:
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        _parameters(self, "", input_size, hidden_size, STEPS[self.kind], bias)

    def _weights(self) -> tuple:
        """(W_ihᵀ, W_hhᵀ, b_ih, b_hh): PyTorch stores the weights as (gates·hidden, in)."""
        return self.weight_ih.T, self.weight_hh.T, self.bias_ih, self.bias_hh

    def _input(self, input: Any) -> tuple[Tensor, bool]:
        input = as_tensor(input)
        if input.ndim not in (1, 2) or input.shape[-1] != self.input_size:
            raise ValueError(
                f"{self!r}: expects input (N, input_size={self.input_size}) or ({self.input_size},), "
                f"got shape {input.shape}"
            )
        return (input.unsqueeze(0), True) if input.ndim == 1 else (input, False)

    def _state(self, state: Any, like: Tensor, unbatched: bool) -> Tensor:
        batch = like.shape[0]
        if state is None:
            return Tensor(np.zeros((batch, self.hidden_size), dtype=like.dtype))
        state = as_tensor(state)
        expected = (self.hidden_size,) if unbatched else (batch, self.hidden_size)
        if state.shape != expected:
            raise ValueError(
                f"{self!r}: the hidden state must have shape {expected} (batch, hidden), got {state.shape}"
            )
        return state.unsqueeze(0) if unbatched else state

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias_ih is not None else ", bias=False")


class RNNCell(_Cell):
    """h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (or relu): one step of `RNN`."""

    kind = "RNN"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh") -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f'RNNCell: nonlinearity must be "tanh" or "relu", got {nonlinearity!r}')
        super().__init__(input_size, hidden_size, bias)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, unbatched = self._input(input)
        h = rnn_step(x, self._state(hx, x, unbatched), self._weights(), self.nonlinearity)
        return h.reshape(-1) if unbatched else h


class LSTMCell(_Cell):
    """One step of `LSTM`: (h, c) -> (h', c'), gates in PyTorch's order i, f, g, o."""

    kind = "LSTM"

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        x, unbatched = self._input(input)
        h, c = (None, None) if hx is None else hx
        state = (self._state(h, x, unbatched), self._state(c, x, unbatched))
        h, c = lstm_step(x, state, self._weights())
        return (h.reshape(-1), c.reshape(-1)) if unbatched else (h, c)


class GRUCell(_Cell):
    """One step of `GRU`: h -> h', gates in PyTorch's order r, z, n."""

    kind = "GRU"

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, unbatched = self._input(input)
        h = gru_step(x, self._state(hx, x, unbatched), self._weights())
        return h.reshape(-1) if unbatched else h


# ---------------------------------------------------------------------- layers: the cells unrolled


class _Recurrent(Module):
    kind: str

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
    ) -> None:
        super().__init__()
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f'{self.kind}: nonlinearity must be "tanh" or "relu", got {nonlinearity!r}')
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.nonlinearity = bias, batch_first, nonlinearity
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size
            _parameters(self, f"_l{layer}", size, hidden_size, STEPS[self.kind], bias)

    def _weights(self, layer: int) -> tuple:
        """(W_ihᵀ, W_hhᵀ, b_ih, b_hh) of one layer: PyTorch stores the weights as (gates·hidden, in)."""
        weight_ih, weight_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
        return weight_ih.T, weight_hh.T, getattr(self, f"bias_ih_l{layer}"), getattr(self, f"bias_hh_l{layer}")

    def _sequence(self, input: Any) -> tuple[Tensor, bool]:
        """The input as (L, N, input_size), and whether it came without a batch axis."""
        input = as_tensor(input)
        layout = "(N, L, input_size)" if self.batch_first else "(L, N, input_size)"
        if input.ndim not in (2, 3) or input.shape[-1] != self.input_size:
            raise ValueError(
                f"{self!r}: expects input {layout} or (L, input_size) with input_size={self.input_size}, got shape "
                f"{input.shape} ({input.shape[-1] if input.ndim else 0} features)"
            )
        if input.ndim == 2:
            return input.unsqueeze(1), True
        return (input.swapaxes(0, 1) if self.batch_first else input), False

    def _initial(self, state: Any, like: Tensor, unbatched: bool) -> list[Tensor]:
        """h0 (or c0) as one (N, hidden) Tensor per layer (zeros of the input's dtype when not given)."""
        batch = like.shape[1]
        expected = (self.num_layers, self.hidden_size) if unbatched else (self.num_layers, batch, self.hidden_size)
        if state is None:
            return [Tensor(np.zeros((batch, self.hidden_size), dtype=like.dtype))] * self.num_layers
        state = as_tensor(state)
        if state.shape != expected:
            raise ValueError(
                f"{self!r}: the initial state must have shape {expected} (num_layers, batch, hidden), got {state.shape}"
            )
        if unbatched:
            state = state.unsqueeze(1)
        return [state[layer] for layer in range(self.num_layers)]

    def _unroll(self, input: Any, states: list[Any], unbatched: bool, step: Any) -> tuple[Tensor, list[list[Tensor]]]:
        """Run `step` over every time step and layer; returns the top layer's outputs and the final states."""
        outputs, weights = [], [self._weights(layer) for layer in range(self.num_layers)]
        for t in range(input.shape[0]):
            with scope(f"t = {t}"):  # one box per time step in viz
                value = input[t]
                for layer in range(self.num_layers):
                    states[layer] = step(value, states[layer], weights[layer])
                    value = states[layer][0] if isinstance(states[layer], tuple) else states[layer]
            outputs.append(value)
        output = stack(outputs, axis=0)  # (L, N, hidden)
        if unbatched:
            output = output.reshape(output.shape[0], -1)
        elif self.batch_first:
            output = output.swapaxes(0, 1)
        return output, states

    def _final(self, values: list[Tensor], unbatched: bool) -> Tensor:
        final = stack(values, axis=0)  # (num_layers, N, hidden)
        return final.reshape(self.num_layers, -1) if unbatched else final

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.kind == "RNN" and self.nonlinearity != "tanh":
            text += f", nonlinearity={self.nonlinearity!r}"
        if not self.bias:
            text += ", bias=False"
        return text + (", batch_first=True" if self.batch_first else "")


class RNN(_Recurrent):
    """h_t = tanh(x_t W_ihᵀ + b_ih + h_(t-1) W_hhᵀ + b_hh) over a sequence; forward(input, h0=None)
    returns (output: every h_t of the top layer, h_n: the last h_t of every layer)."""

    kind = "RNN"

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        sequence, unbatched = self._sequence(input)
        states = self._initial(hx, sequence, unbatched)

        def step(x: Tensor, h: Tensor, weights: tuple) -> Tensor:
            return rnn_step(x, h, weights, self.nonlinearity)

        output, states = self._unroll(sequence, states, unbatched, step)
        return output, self._final(states, unbatched)


class LSTM(_Recurrent):
    """The LSTM cell over a sequence; forward(input, (h0, c0)=None) returns
    (output, (h_n, c_n)). Gates in PyTorch's order i, f, g, o."""

    kind = "LSTM"

    def __init__(
        self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True, batch_first: bool = False
    ) -> None:
        super().__init__(input_size, hidden_size, num_layers, "tanh", bias, batch_first)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        sequence, unbatched = self._sequence(input)
        h0, c0 = (None, None) if hx is None else hx
        states = list(zip(self._initial(h0, sequence, unbatched), self._initial(c0, sequence, unbatched)))
        output, states = self._unroll(sequence, states, unbatched, lstm_step)
        h_n, c_n = zip(*states)
        return output, (self._final(list(h_n), unbatched), self._final(list(c_n), unbatched))


class GRU(_Recurrent):
    """The GRU cell over a sequence; forward(input, h0=None) returns (output, h_n). Gates r, z, n."""

    kind = "GRU"

    def __init__(
        self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True, batch_first: bool = False
    ) -> None:
        super().__init__(input_size, hidden_size, num_layers, "tanh", bias, batch_first)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        sequence, unbatched = self._sequence(input)
        states = self._initial(hx, sequence, unbatched)
        output, states = self._unroll(sequence, states, unbatched, gru_step)
        return output, self._final(states, unbatched)
