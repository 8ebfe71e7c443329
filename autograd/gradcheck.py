"""`gradcheck`: compare the engine's gradients with central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.engine import grad as autograd_grad
from autograd.operations import concatenate
from autograd.tensor import Tensor


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Tensor | Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check d fn(*inputs) / d input for every input that requires grad, element by element.

    The numerical derivative of output element j by input element i is
    (fn(x + eps e_i)_j - fn(x - eps e_i)_j) / 2 eps; the analytical one comes from a backward
    pass per output element. They agree when |analytical - numerical| <= atol + rtol |numerical|.
    Returns True, or raises AssertionError naming the input, the element and both values.
    Inputs must be float64: in float32 the differences are mostly rounding error.
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    for i in checked:
        if inputs[i].dtype != np.float64:
            raise TypeError(
                f"gradcheck: input {i} has dtype {inputs[i].dtype}; finite differences need float64 "
                "inputs (create them with dtype=np.float64 or .astype(np.float64))"
            )

    output = fn(*inputs)
    if not isinstance(output, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(output).__name__}")
    analytical = _analytical_jacobians(output, [inputs[i] for i in checked])
    for column, i in enumerate(checked):
        numerical = _numerical_jacobian(fn, inputs, i, output.shape, eps)
        _compare(analytical[column], numerical, i, inputs[i].shape, output.shape, atol, rtol)
    return True


def _analytical_jacobians(output: Tensor, inputs: list[Tensor]) -> list[np.ndarray]:
    """J[k][j, i] = d output_j / d inputs[k]_i, one backward pass per output element j."""
    jacobians = [np.zeros((output.size, x.size)) for x in inputs]
    if not output.requires_grad:
        return jacobians  # the output does not depend on any input: every derivative is 0
    for j in range(output.size):
        seed = np.zeros(output.size, dtype=output.dtype)
        seed[j] = 1.0
        grads = autograd_grad(
            output, inputs, grad_outputs=seed.reshape(output.shape), retain_graph=True, allow_unused=True
        )
        for k, g in enumerate(grads):
            if g is not None:
                jacobians[k][j] = g.data.reshape(-1)
    return jacobians


def _numerical_jacobian(
    fn: Callable[..., Tensor], inputs: tuple[Any, ...], which: int, output_shape: tuple[int, ...], eps: float
) -> np.ndarray:
    """J[j, i] = (fn(x + eps e_i)_j - fn(x - eps e_i)_j) / 2 eps for input `which`."""
    x = inputs[which]
    flat = x.data.reshape(-1)  # a view: nudging it nudges x
    jacobian = np.zeros((int(np.prod(output_shape)), x.size))
    # Grad mode stays on: fn may itself call backward or grad (checking a second derivative).
    for i in range(x.size):
        original = flat[i]
        flat[i] = original + eps
        plus = np.array(fn(*inputs).data, dtype=np.float64).reshape(-1)  # a copy: the output may be a view of x
        flat[i] = original - eps
        minus = np.array(fn(*inputs).data, dtype=np.float64).reshape(-1)
        flat[i] = original
        jacobian[:, i] = (plus - minus) / (2 * eps)
    return jacobian


def _compare(
    analytical: np.ndarray,
    numerical: np.ndarray,
    which: int,
    input_shape: tuple[int, ...],
    output_shape: tuple[int, ...],
    atol: float,
    rtol: float,
) -> None:
    error = np.abs(analytical - numerical) - (atol + rtol * np.abs(numerical))
    if np.all(error <= 0) and not np.isnan(analytical).any():
        return
    error = np.where(np.isnan(error), np.inf, error)
    j, i = np.unravel_index(int(np.argmax(error)), error.shape)
    element = np.unravel_index(i, input_shape) if input_shape else ()
    where = f"input {which} (shape {input_shape}) at index {tuple(int(e) for e in element)}"
    if output_shape:
        where += f", output index {tuple(int(o) for o in np.unravel_index(j, output_shape))}"
    raise AssertionError(
        f"gradcheck failed for {where}: analytical gradient {analytical[j, i]:.10g}, "
        f"numerical gradient {numerical[j, i]:.10g} (atol={atol}, rtol={rtol})"
    )


def gradgradcheck(
    fn: Callable[..., Tensor],
    inputs: Tensor | Sequence[Any],
    grad_outputs: Tensor | np.ndarray | None = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check second derivatives, as `torch.autograd.gradgradcheck`: `gradcheck` of the map
    (inputs, v) -> d (v · fn(inputs)) / d inputs, computed with `grad(..., create_graph=True)`.

    `v` (grad_outputs) is random unless given; it requires grad too, so the derivative of the
    gradient by v is checked as well. Returns True, or raises AssertionError like gradcheck.
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    checked = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    output = fn(*inputs)
    if not isinstance(output, Tensor):
        raise TypeError(f"gradgradcheck: fn must return a Tensor, got {type(output).__name__}")
    if grad_outputs is None:
        # Fixed seed: the check is the same at every run and leaves the user's random stream alone.
        grad_outputs = np.random.default_rng(0).standard_normal(output.shape)
    v = Tensor(np.array(grad_outputs.data if isinstance(grad_outputs, Tensor) else grad_outputs, dtype=np.float64))
    if v.shape != output.shape:
        raise ValueError(f"gradgradcheck: grad_outputs has shape {v.shape} but fn's output has shape {output.shape}")
    v.requires_grad = True

    def first_derivatives(*arguments: Any) -> Tensor:
        *xs, v = arguments
        out = fn(*xs)
        grads = autograd_grad(out, checked, grad_outputs=v, create_graph=True, allow_unused=True)
        flat = [Tensor(np.zeros(x.size)) if g is None else g.reshape(-1) for x, g in zip(checked, grads)]
        return concatenate(flat) if len(flat) > 1 else flat[0]

    try:
        return gradcheck(first_derivatives, (*inputs, v), eps=eps, atol=atol, rtol=rtol)
    except AssertionError as error:
        raise AssertionError(
            f"gradgradcheck: a second derivative is wrong (input {len(inputs)} is grad_outputs, and the output "
            f"is the inputs' gradients flattened and concatenated): {error}"
        ) from None
