"""`Function`: the one way to define an operation, with `forward` and `backward` side by side."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import anomaly
from autograd.grad_mode import _GradMode
from autograd.locations import _RecordLocations, user_code_location
from autograd.scope import Scope, _Scope
from autograd.tensor import Tensor

if TYPE_CHECKING:
    from autograd.several_outputs import Outputs


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

    `ctx` is the recorded operation itself (what `output.grad_fn` returns): an instance of the
    subclass that holds the inputs, the arrays saved for backward and anything else forward
    stores on it.
    `backward` returns one gradient per positional input of forward (`None` where there
    is none); the engine sums each gradient back to its input's shape when forward
    broadcast, and accumulates gradients that reach the same input twice.
    `backward` is handed numpy arrays, and Tensors when `create_graph=True` asks for the
    backward pass to be recorded: math written with operators and methods (`*`, `@`, `.sum()`)
    works on both (see `supports_double_backward` for a backward that needs numpy).
    A forward may return several arrays (`return y, indices`); apply then returns one Tensor
    each, and backward takes one gradient per output: `backward(ctx, grad_y, grad_indices)`.
    """

    #: Whether `backward` may be handed Tensors, so that with `create_graph=True` the backward
    #: pass is itself recorded (gradients of gradients), as in PyTorch. Set it to False for a
    #: backward written with numpy functions (like PyTorch's `@once_differentiable`): it is then
    #: always handed numpy arrays, and differentiating its result again is an error that names it.
    supports_double_backward: bool = True

    # Filled in by `apply` when the result joins a graph.
    inputs: tuple[Any, ...] = ()  #: every positional argument of forward, Tensors and others
    needs_input_grad: tuple[bool, ...] = ()  #: for each input: does a gradient flow to it?
    #: File and line of the user's code that recorded this operation, kept only inside
    #: record_locations() or detect_anomaly(): finding the line costs as much as the operation.
    created_at: tuple[str, int] | None = None
    marked_non_differentiable: tuple[Any, ...] = ()  # by mark_non_differentiable: outputs that get no graph
    #: For a forward that returned several outputs: where each lies in the node's packed result
    #: (see autograd/several_outputs.py); None for the usual one output.
    outputs: Outputs | None = None
    scope: tuple[Scope, ...] = ()  #: the name scopes open when the op was recorded (see autograd.scope)
    _saved: tuple[Any, ...] | None = ()
    _output: Tensor | None = None  # set by the engine while it runs backward with create_graph=True
    _saved_copies: tuple[np.ndarray, ...] | None = None  # detect_anomaly's record, to catch in-place changes

    @property
    def parents(self) -> tuple[Tensor, ...]:
        """The inputs that are Tensors, in argument order: the edges of the graph."""
        return tuple(arg for arg in self.inputs if isinstance(arg, Tensor))

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

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Say in forward that these outputs have no gradient (indices, masks), as PyTorch's
        `ctx.mark_non_differentiable(output)`: they come out with `requires_grad=False`, and
        backward gets zeros for them."""
        self.marked_non_differentiable = outputs

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
        position = None if self.outputs is None else self.outputs.position_of(value)
        if position is not None:  # one of several outputs: read it again from the packed node
            return self.outputs.unpack(self._output, position)
        return Tensor(value)

    def release_saved(self) -> None:
        """Free what was saved for backward (the engine does it unless retain_graph=True)."""
        self._saved = None
        self._saved_copies = None

    @property
    def is_released(self) -> bool:
        return self._saved is None

    # ------------------------------------------------------------------ running it

    @classmethod
    def apply(cls, *args: Any, **options: Any) -> Tensor:
        """Run `forward` on the arrays of `args` and, if any input requires grad, record the operation.

        Positional Tensor arguments are the inputs that gradients flow to; other positional
        arguments are passed through as they are; keyword arguments are options (an axis, a shape).
        """
        ctx = cls()
        # NOTE: one loop for both lists (12% of the tiny-op workload, 8% of the XOR step), and the
        # mode flags read directly below rather than through is_grad_enabled() and friends (4%).
        arrays, needs_input_grad = [], []
        for arg in args:
            if isinstance(arg, Tensor):
                arrays.append(arg.data)
                needs_input_grad.append(arg._requires_grad)
            else:
                arrays.append(arg)
                needs_input_grad.append(False)
        try:
            output = cls.forward(ctx, *arrays, **options)
        except (IndexError, TypeError, ValueError) as error:
            raise _explain(cls, args, error) from error
        if type(output) is not np.ndarray:
            if isinstance(output, (tuple, list)):
                return ctx._several_outputs(args, needs_input_grad, output)
            output = ctx._as_output_array(output)
        if anomaly._AnomalyMode.enabled:
            anomaly.check_forward(cls.__name__, output, user_code_location())

        if not (_GradMode.enabled and True in needs_input_grad) or ctx.marked_non_differentiable:
            return Tensor(output)
        ctx._record(args, needs_input_grad)
        return Tensor._from_op(output, ctx)

    def _record(self, args: tuple[Any, ...], needs_input_grad: list[bool]) -> None:
        """Make this operation a node of the graph: its inputs and what is known of where it ran."""
        self.inputs = args
        pattern = tuple(needs_input_grad)
        self.needs_input_grad = _PATTERNS.setdefault(pattern, pattern)
        if _Scope.current:
            self.scope = _Scope.current
        if _RecordLocations.enabled:
            self.created_at = user_code_location()
        if anomaly._AnomalyMode.enabled:
            anomaly.remember_saved(self)

    def _as_output_array(self, output: Any) -> np.ndarray:
        """forward's result as an array (numpy returns scalars for 0-d results, and forward may
        return a Tensor), keeping what was saved pointing at the same array."""
        array = np.asarray(output)
        if self._saved:
            self._saved = tuple(array if value is output else value for value in self._saved)
        return array

    def _several_outputs(
        self, args: tuple[Any, ...], needs_input_grad: list[bool], outputs: tuple[Any, ...] | list[Any]
    ) -> tuple[Tensor, ...]:
        """`apply` for a forward that returned several outputs: one packed node, one Unpack per output."""
        from autograd.several_outputs import Outputs  # it builds on Op, defined below

        arrays = [output if type(output) is np.ndarray else self._as_output_array(output) for output in outputs]
        if anomaly._AnomalyMode.enabled:
            for array in arrays:
                anomaly.check_forward(type(self).__name__, array, user_code_location())
        # Floating outputs that were not marked carry gradients (integer ones never do, as in PyTorch).
        differentiable = [
            array.dtype.kind == "f" and not any(output is marked for marked in self.marked_non_differentiable)
            for output, array in zip(outputs, arrays)
        ]
        if not (_GradMode.enabled and True in needs_input_grad and True in differentiable):
            return tuple(Tensor(array) for array in arrays)
        self._record(args, needs_input_grad)
        self.outputs = Outputs(arrays, differentiable)
        packed = Tensor._from_op(self.outputs.pack(), self)
        return tuple(
            self.outputs.unpack(packed, position) if is_differentiable else Tensor(array)
            for position, (array, is_differentiable) in enumerate(zip(arrays, differentiable))
        )

    def __getattr__(self, name: str) -> Any:
        # Reached only when normal lookup fails: PyTorch's names for a node's internals.
        op = type(self).__name__
        if name.startswith(("_saved_", "_raw_saved_")):
            raise AttributeError(
                f"{op} has no attribute {name!r}: PyTorch's grad_fn._saved_* are its C++ internals. Here "
                "grad_fn.saved_tensors holds what the operation saved for backward (numpy arrays) and "
                "grad_fn.inputs its inputs (the tensors themselves)."
            )
        if name in ("register_hook", "register_prehook"):
            raise AttributeError(
                f"{op} takes no hooks (grad_fn.{name} is not supported); register one on a tensor instead: "
                "out.register_hook(fn) sees d loss / d out before the operation's backward runs, and "
                "x.register_hook(fn) on an input sees what reaches x."
            )
        raise AttributeError(f"{op!r} object has no attribute {name!r}")

    def __call__(self, *args: Any, **options: Any) -> Any:
        name = type(self).__name__
        raise TypeError(
            f"{name}()(...) is the old PyTorch style; an operation is run with {name}.apply(...) "
            f"(as in PyTorch since 1.3): e.g. y = {name}.apply(x)"
        )

    def __repr__(self) -> str:
        if self.created_at is None:
            return f"<{type(self).__name__} operation>"
        file, line = self.created_at
        return f"<{type(self).__name__} operation created at {os.path.basename(file)}:{line}>"


# NOTE: one shared tuple per pattern such as (True, False) rather than one per node: a container
# fewer per node for Python's collector to walk while a long graph is built (the 100,000-op chain
# takes 52 MB instead of 58, and its time against PyTorch's depends on it).
_PATTERNS: dict[tuple[bool, ...], tuple[bool, ...]] = {}


def _explain(cls: type[Function], args: tuple[Any, ...], error: Exception) -> Exception:
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


class Op(Function):
    """The base of glassgrad's own operations (`autograd/ops/`).

    Their backward rules use only math that works on numpy arrays and on Tensors alike
    (`*`, `@`, `.reshape`, the functions of `ops/backward_math.py`), so with `create_graph=True`
    the engine hands them Tensors and the backward pass is recorded too.
    """
