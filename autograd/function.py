"""`Function`: the one way to define an operation, with `forward` and `backward` side by side."""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np

from autograd import anomaly
from autograd.grad_mode import _GradMode
from autograd.scope import Scope, _Scope
from autograd.tensor import Tensor

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class Function:
    """An operation of the graph. Subclass it, like `torch.autograd.Function`::

        class Mul(Function):
            @staticmethod
            def forward(ctx, x, y):          # numpy arrays in, a numpy array out
                ctx.save_for_backward(x, y)
                return x * y

            @staticmethod
            def backward(ctx, grad_output):  # d loss / d out  ->  d loss / d x, d loss / d y
                x, y = ctx.saved_tensors
                return grad_output * y, grad_output * x

        z = Mul.apply(a, b)

    `ctx` is the graph node itself: an instance of the subclass that holds the inputs
    (`parents`), the arrays saved for backward and anything else forward stores on it.
    `backward` returns one gradient per positional input of forward (`None` where there
    is none); the engine sums each gradient back to its input's shape when forward
    broadcast, and accumulates gradients that reach the same input twice.
    """

    #: Built-in operations write `backward` with operations that also work on Tensors, so
    #: with `create_graph=True` the engine hands them Tensors and records the backward pass
    #: itself (gradients of gradients). A user Function receives numpy arrays by default,
    #: and differentiating its backward again is an error that names it.
    supports_double_backward: bool = False

    # Filled in by `apply` when the result joins a graph.
    inputs: tuple[Any, ...] = ()
    needs_input_grad: tuple[bool, ...] = ()
    #: File and line of the user's code that recorded this node, kept only under detect_anomaly(),
    #: as PyTorch does: finding the line costs about as much as the rest of an operation.
    created_at: tuple[str, int] | None = None
    scope: tuple[Scope, ...] = ()  # the name scopes open when the op was recorded (see autograd.scope)
    _parents_are_inputs = True  # every positional input is a Tensor (the usual case)
    _saved: tuple[Any, ...] | None = ()
    _output: Tensor | None = None  # set by the engine while it runs backward with create_graph=True
    _saved_copies: tuple[np.ndarray, ...] | None = None  # detect_anomaly's record, to catch in-place changes

    @property
    def parents(self) -> tuple[Tensor, ...]:
        """The inputs that are Tensors, in argument order: the edges of the graph."""
        if self._parents_are_inputs:
            return self.inputs
        return tuple([arg for arg in self.inputs if isinstance(arg, Tensor)])

    @staticmethod
    def forward(ctx: Function, *args: Any, **options: Any) -> np.ndarray:
        """Compute the output from numpy arrays."""
        raise NotImplementedError("a Function subclass must define a static forward(ctx, *args)")

    @staticmethod
    def backward(ctx: Function, grad_output: Any) -> Any:
        """Given d loss / d output, return d loss / d input for each input."""
        raise NotImplementedError("a Function subclass must define a static backward(ctx, grad_output)")

    @staticmethod
    def error_hint(*arrays: Any) -> str | None:
        """What to tell the user when forward fails on these inputs (None: numpy's message says it)."""
        return None

    # ------------------------------------------------------------------ saving for backward

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays that backward needs; they are released after backward (unless retain_graph)."""
        self._saved = arrays

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """What `save_for_backward` kept: numpy arrays, or Tensors while a graph of the backward
        pass is recorded (`create_graph=True`), so the derivative itself can be differentiated."""
        if self._saved is None:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (or to read the saved values of "
                f"{type(self).__name__} after they were freed). Saved intermediate values of the graph are "
                "freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you "
                "need to backward through the graph a second time."
            )
        if self._output is None:
            return self._saved
        return tuple(self._as_graph_tensor(value) for value in self._saved)

    def _as_graph_tensor(self, value: Any) -> Any:
        """The Tensor of the graph that holds `value` (an input or the output), else a constant."""
        if not isinstance(value, np.ndarray):
            return value
        for tensor in (*self.parents, self._output):
            if tensor.data is value:
                return tensor
        return Tensor._from_op(value)

    def release_saved(self) -> None:
        """Free what was saved for backward (done by the engine unless retain_graph=True)."""
        self._saved = None
        self._saved_copies = None

    @property
    def is_released(self) -> bool:
        return self._saved is None

    # ------------------------------------------------------------------ running it

    @classmethod
    def apply(cls, *args: Any, **options: Any) -> Tensor:
        """Run `forward` on the arrays of `args` and, if any input requires grad, record the node.

        Positional Tensor arguments are the inputs that gradients flow to; other positional
        arguments are passed through as they are; keyword arguments are options (an axis, a shape).
        """
        ctx = cls()
        # One plain loop (not comprehensions): this runs for every operation, so it is kept lean.
        arrays, needs_input_grad, all_tensors = [], [], True
        for arg in args:
            if isinstance(arg, Tensor):
                arrays.append(arg.data)
                needs_input_grad.append(arg._requires_grad)
            else:
                arrays.append(arg)
                needs_input_grad.append(False)
                all_tensors = False
        try:
            output = cls.forward(ctx, *arrays, **options)
        except (IndexError, TypeError, ValueError) as error:
            raise _explain(cls, ctx, args, error) from error
        if type(output) is not np.ndarray:
            output = ctx._as_output_array(output)

        if not (_GradMode.enabled and True in needs_input_grad):
            if anomaly._AnomalyMode.enabled:
                anomaly.check_forward(cls.__name__, output, _user_code_location())
            return Tensor._from_op(output)
        ctx.inputs = args
        if not all_tensors:
            ctx._parents_are_inputs = False
        pattern = tuple(needs_input_grad)
        ctx.needs_input_grad = _PATTERNS.setdefault(pattern, pattern)
        if _Scope.current:
            ctx.scope = _Scope.current
        if anomaly._AnomalyMode.enabled:
            ctx.created_at = _user_code_location()
            anomaly.check_forward(cls.__name__, output, ctx.created_at)
            anomaly.remember_saved(ctx)
        return Tensor._from_op(output, ctx)

    def _as_output_array(self, output: Any) -> np.ndarray:
        """numpy returns scalars for 0-d results: make it an array, and keep what was saved
        pointing at the same array."""
        array = np.asarray(output)
        for saved in self._saved or ():  # usually only a few unary ops save their output
            if saved is output:
                self._saved = tuple([array if value is output else value for value in self._saved])
                break
        return array

    def __repr__(self) -> str:
        if self.created_at is None:
            return f"<{type(self).__name__} node>"
        file, line = self.created_at
        return f"<{type(self).__name__} node created at {os.path.basename(file)}:{line}>"


# NOTE: every node holds a needs_input_grad tuple; sharing one tuple per pattern such as
# (True, False) means one object fewer per node for Python's garbage collector to scan.
_PATTERNS: dict[tuple[bool, ...], tuple[bool, ...]] = {}


def _user_code_location() -> tuple[str, int]:
    """File and line of the first caller outside the autograd package: where the op was written."""
    frame = sys._getframe(2)  # the caller of Function.apply
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    return frame.f_code.co_filename, frame.f_lineno


def _explain(cls: type[Function], ctx: Function, args: tuple[Any, ...], error: Exception) -> Exception:
    """Rewrite an error from numpy inside forward so that it names the operation and its inputs."""
    described = ", ".join(
        f"{arg.shape} {arg.dtype}" if isinstance(arg, (Tensor, np.ndarray)) else repr(arg) for arg in args
    )
    hint = None
    if isinstance(error, ValueError):  # shape trouble: the op can say which shapes would fit
        hint = cls.error_hint(*[arg.data if isinstance(arg, Tensor) else arg for arg in args])
    # The op's own explanation, when it has one, says more than numpy's message.
    message = f"{cls.__name__}: {hint or error} (inputs: {described})"
    kind = next(k for k in (IndexError, TypeError, ValueError) if isinstance(error, k))
    return kind(message)
