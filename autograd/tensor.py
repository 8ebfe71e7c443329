"""`Tensor`: a numpy array that remembers the operation that made it, so gradients can flow back."""

from __future__ import annotations

import itertools
import operator
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from autograd.engine import BackwardStep
    from autograd.function import Function
    from autograd.hooks import RemovableHandle
    from autograd.ops.reduction import Axis
    from autograd.scope import Scope

ArrayLike = Any  # anything numpy.asarray accepts
Number = (int, float)

# Every tensor gets the next number when it is created. An operation's inputs exist before its
# output, so creation order is a topological order of any graph: backward runs it in reverse.
_creation_order = itertools.count()


class Tensor:
    """An n-dimensional array with an optional gradient.

    `Tensor(data, requires_grad=False, dtype=None, name=None)`: `data` is anything
    `numpy.asarray` takes (not copied when it already has the right dtype).
    Python floats become float64. Only floating-point tensors can require grad.
    """

    __slots__ = (
        "__weakref__",
        "_ctx",
        "_data",
        "_grad",
        "_hooks",
        "_number",
        "_requires_grad",
        "_retains_grad",
        "name",
    )

    def __init__(
        self,
        data: ArrayLike,
        requires_grad: bool = False,
        dtype: Any = None,
        name: str | None = None,
    ) -> None:
        if isinstance(data, Tensor):
            data = data.data
        try:
            self._data: np.ndarray = np.asarray(data, dtype=dtype)
        except ValueError as error:  # e.g. nested lists of different lengths
            raise ValueError(f"Tensor: cannot make an array of this data: {error}") from error
        if self.data.dtype.kind not in "biufc":
            raise TypeError(
                f"Tensor: data must be numbers or booleans, but numpy made an array of dtype {self.data.dtype} "
                "from it; pass numbers (nested lists of one length each, or a numeric numpy array)"
            )
        self._grad: Tensor | None = None
        self._requires_grad = False
        self._ctx: Function | None = None
        self.name = name
        self._retains_grad = False
        self._hooks: dict[int, Callable] | None = None
        self._number = next(_creation_order)
        if requires_grad:
            self.requires_grad = True

    @staticmethod
    def _from_op(data: np.ndarray, ctx: Function) -> Tensor:
        """The output of a recorded operation: a non-leaf tensor whose `grad_fn` is `ctx`.

        NOTE: fills the slots directly rather than through `__init__`'s checks (forward made an
        ndarray already): 5% of the tiny-op workload.
        """
        tensor = object.__new__(Tensor)
        tensor._data = data
        tensor._grad = None
        tensor._requires_grad = True
        tensor._ctx = ctx
        tensor.name = None
        tensor._retains_grad = False
        tensor._hooks = None
        tensor._number = next(_creation_order)
        return tensor

    # ------------------------------------------------------------------ attributes

    def _set_data(self, value: ArrayLike) -> None:
        # 0-d arithmetic in numpy gives numpy scalars (w.data * 2), and .item() gives Python
        # numbers: either becomes a 0-d array here, so in-place updates (`buffer *= 0.9`) of
        # what .data holds always change an array, never rebind a scalar.
        self._data = value if type(value) is np.ndarray else np.asarray(value)

    #: The numpy array of values (always an ndarray; a 0-d array for a scalar). Reading it is
    #: a plain attribute read (attrgetter runs in C); writing it goes through `_set_data`.
    data = property(operator.attrgetter("_data"), _set_data)

    @property
    def requires_grad(self) -> bool:
        """Whether gradients are computed for this tensor."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        if flag and self.data.dtype.kind not in "fc":
            raise TypeError(
                f"only floating-point tensors can require gradients, but this tensor has dtype "
                f"{self.data.dtype}; create it with a float dtype, e.g. Tensor(data, dtype=np.float64)"
            )
        if not flag and self._ctx is not None:
            raise RuntimeError(
                "requires_grad can only be turned off on a leaf tensor; use .detach() to get a tensor "
                "cut from the graph"
            )
        self._requires_grad = bool(flag)

    @property
    def grad(self) -> Tensor | None:
        """d loss / d self after `backward()`: kept on leaves, and on other tensors only after
        `retain_grad()` (reading it on another tensor warns, as PyTorch does)."""
        if self._grad is None and self._ctx is not None and not self._retains_grad:
            warnings.warn(
                f"The .grad of a tensor that is not a leaf (this one was made by {self.op}) is being read: "
                "backward() does not keep it. Call .retain_grad() on it before backward() to keep it, or read "
                "the .grad of a leaf (a tensor you created with requires_grad=True)",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(f"assigned grad must be a Tensor or None, not {type(value).__name__}")
        if value is not None and value.shape != self.shape:
            raise RuntimeError(f"assigned grad has shape {value.shape}, but the tensor has shape {self.shape}")
        self._grad = value

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (or under `no_grad`), not by a recorded operation."""
        return self._ctx is None

    @property
    def op(self) -> str:
        """Name of the operation that produced this tensor (`""` for a leaf), e.g. `"Mul"`."""
        return "" if self._ctx is None else type(self._ctx).__name__

    @property
    def grad_fn(self) -> Function | None:
        """The recorded operation (a `Function` instance) that produced this tensor, as in PyTorch."""
        return self._ctx

    @property
    def parents(self) -> tuple[Tensor, ...]:
        """The tensors this one was computed from (empty for a leaf)."""
        return () if self._ctx is None else self._ctx.parents

    @property
    def scope(self) -> tuple[Scope, ...]:
        """The name scopes (e.g. nn layer calls) open when this tensor's op was recorded; () for a leaf."""
        return () if self._ctx is None else self._ctx.scope

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __len__(self) -> int:
        return len(self.data)

    def __getattr__(self, name: str) -> Any:
        # Reached only when normal lookup fails: says what to write for PyTorch's in-place methods.
        stem = name[:-1]
        if name.endswith("_") and not name.startswith("_") and hasattr(Tensor, stem):
            raise AttributeError(
                f"Tensor.{name}(): glassgrad has no in-place {stem}; write t = t.{stem}(...) for a new tensor "
                "(an operation never overwrites an array that the graph saved). To update a parameter by "
                "hand, use -=, +=, *= or /= under `with autograd.no_grad():`."
            )
        raise AttributeError(f"'Tensor' object has no attribute '{name}'")

    def __repr__(self) -> str:
        """Printed as PyTorch prints: `tensor([1., 2.], requires_grad=True)`,
        `tensor(0.9687, grad_fn=<MulBackward>)`, plus the dtype when it is not the default
        (float64 here) and the name when there is one."""
        body = _pytorch_style(self.data, prefix="tensor(")
        extras = []
        if self.data.dtype not in (np.float64, np.int64, np.bool_):
            extras.append(f"dtype={self.data.dtype}")
        if self._ctx is not None:
            extras.append(f"grad_fn=<{self.op}Backward>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        if self.name is not None:
            extras.append(f"name={self.name!r}")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # Tensors live in sets and dict keys by identity, even though `==` is elementwise.
    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a tensor of shape {self.shape} is ambiguous; use (t).any() or "
                "(t).all(), or compare .item() for a single element"
            )
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __iter__(self) -> Iterator[Tensor]:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self)))

    def __getstate__(self) -> Any:
        """What copy.copy, copy.deepcopy and pickle keep: a leaf tensor's slots, as Python does."""
        if self._ctx is not None:
            raise RuntimeError(
                f"only leaf tensors (made by you, not by an operation) can be copied or pickled, but this one "
                f"was produced by {self.op}. Copy t.detach() to keep the values without the graph."
            )
        return super().__getstate__()

    def __setstate__(self, state: Any) -> None:
        _, slots = state
        for name, value in slots.items():
            object.__setattr__(self, name, value)
        self._number = next(_creation_order)  # the copy is created now: after everything that exists

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """`ndarray + Tensor` (and -, *, /, **, @, comparisons) gives a Tensor with its gradient;
        other numpy functions on a Tensor (`np.exp(t)`) would lose the graph, so they say what to
        write instead."""
        reflected = _REFLECTED.get(ufunc)
        if method == "__call__" and not kwargs and reflected is not None and len(inputs) == 2:
            left, right = inputs
            if isinstance(left, Tensor):
                return getattr(left, reflected[0])(right)
            return getattr(right, reflected[1])(left)
        name = ufunc.__name__
        method_name = {"absolute": "abs", "negative": "neg"}.get(name, name)
        instead = (
            f"tensor.{method_name}() or autograd.{method_name}(tensor)"
            if hasattr(Tensor, method_name)
            else "a Tensor method or an autograd function, or np." + name + "(tensor.detach().numpy()) for the values"
        )
        raise TypeError(
            f"np.{name} on a Tensor: numpy functions work on arrays and would lose the graph, so the gradient "
            f"could not flow back. Use {instead}; for plain numbers without a gradient, np.{name}(tensor.numpy())"
        )

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        # Lets np.asarray(t), matplotlib and friends read the values (the graph is not followed).
        if copy:
            return np.array(self.data, dtype=dtype, copy=True)
        return np.asarray(self.data, dtype=dtype)

    # ------------------------------------------------------------------ conversions

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, but this one has shape {self.shape}")
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The underlying numpy array (shares memory with the tensor)."""
        return self.data

    def tolist(self) -> Any:
        return self.data.tolist()

    def double(self) -> Tensor:
        """As float64 (the gradient is converted back), like PyTorch's `t.double()`."""
        return self.astype(np.float64)

    def float(self) -> Tensor:
        """As float32 (PyTorch's `float`), like `t.float()`."""
        return self.astype(np.float32)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """`t.to(dtype)` converts like `astype`; `t.to("cpu")` (or a cpu `device`) is the tensor itself."""
        dtype = kwargs.pop("dtype", None)
        for argument in (*args, kwargs.pop("device", None)):
            if argument is None:
                continue
            if isinstance(argument, (str, device_module.device)):
                device_module.check_device(argument, "Tensor.to")
            else:
                dtype = argument
        if kwargs:
            raise TypeError(f"Tensor.to: unexpected arguments {sorted(kwargs)}; give a dtype or 'cpu'")
        return self if dtype is None or np.dtype(dtype) == self.dtype else self.astype(dtype)

    def cpu(self) -> Tensor:
        """The tensor itself: it is on the CPU already."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        raise RuntimeError("Tensor.cuda(): glassgrad runs on the CPU only (numpy); leave .cuda() out, or use .cpu()")

    @property
    def device(self) -> device_module.device:
        """Always the CPU (`device(type='cpu')`)."""
        return device_module.CPU

    def equal(self, other: ArrayLike) -> bool:
        """True when `other` has the same shape and the same values (as `torch.equal`)."""
        other_data = other.data if isinstance(other, Tensor) else np.asarray(other)
        return self.shape == other_data.shape and bool(np.array_equal(self.data, other_data))

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut from the graph (`requires_grad=False`)."""
        return Tensor(self.data)

    def requires_grad_(self, flag: bool = True) -> Tensor:
        """Set `requires_grad` in place and return the tensor."""
        self.requires_grad = flag
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the accumulated gradient (`None`, as PyTorch does by default; zeros if asked)."""
        if set_to_none or self._grad is None:
            self._grad = None
        else:
            self._grad = Tensor(np.zeros_like(self.data))

    def retain_grad(self) -> None:
        """Keep `.grad` on this non-leaf tensor after backward (leaves always keep it)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on a tensor that does not require grad")
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad and self._ctx is not None

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call `hook(grad)` when the gradient of this tensor is computed.

        If the hook returns a tensor, it replaces the gradient from then on. Returns a handle
        whose `remove()` unregisters the hook.
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._hooks is None:
            self._hooks = {}
        handle = hooks.RemovableHandle(self._hooks)
        self._hooks[handle.id] = hook
        return handle

    # ------------------------------------------------------------------ backward

    def backward(
        self,
        grad: ArrayLike | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        *,
        gradient: ArrayLike | None = None,
    ) -> None:
        """Accumulate d self / d leaf into `.grad` of every leaf that requires grad.

        `grad` (or `gradient=`, PyTorch's keyword) is d loss / d self; it may be omitted only when
        self has one element.
        """
        if gradient is not None:
            if grad is not None:
                raise TypeError("backward: give the gradient once, as grad or as gradient=, not both")
            grad = gradient
        engine.backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    def backward_steps(self, grad: ArrayLike | None = None) -> Iterator[BackwardStep]:
        """The backward pass one chain-rule step at a time (a generator of `BackwardStep`)."""
        return engine.backward_steps(self, grad)

    # ------------------------------------------------------------------ operators
    # Each one is an operation defined in autograd/ops; see there for forward and backward.

    def __add__(self, other: ArrayLike) -> Tensor:
        return arithmetic.Add.apply(self, as_operand(other, self))

    def __radd__(self, other: ArrayLike) -> Tensor:
        return arithmetic.Add.apply(as_operand(other, self), self)

    def __sub__(self, other: ArrayLike) -> Tensor:
        return arithmetic.Sub.apply(self, as_operand(other, self))

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return arithmetic.Sub.apply(as_operand(other, self), self)

    def __mul__(self, other: ArrayLike) -> Tensor:
        return arithmetic.Mul.apply(self, as_operand(other, self))

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return arithmetic.Mul.apply(as_operand(other, self), self)

    def __truediv__(self, other: ArrayLike) -> Tensor:
        return arithmetic.Div.apply(self, as_operand(other, self))

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return arithmetic.Div.apply(as_operand(other, self), self)

    def __pow__(self, exponent: ArrayLike) -> Tensor:
        return arithmetic.Pow.apply(self, as_operand(exponent, self))

    def __rpow__(self, base: ArrayLike) -> Tensor:
        return arithmetic.Pow.apply(as_operand(base, self), self)

    def __matmul__(self, other: ArrayLike) -> Tensor:
        return matmul.MatMul.apply(self, as_operand(other, self))

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return matmul.MatMul.apply(as_operand(other, self), self)

    def __neg__(self) -> Tensor:
        return arithmetic.Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    def __getitem__(self, index: Any) -> Tensor:
        return shape_ops.GetItem.apply(self, index=as_index(index))

    # ------------------------------------------------------------------ in-place updates
    # `w -= lr * w.grad` under `no_grad()` changes w itself, as in PyTorch: that is how a parameter
    # is updated by hand. The tensor gets a new array rather than having its old one overwritten,
    # so a value that an operation saved for backward is never changed behind the graph's back.
    # While a graph is recorded through the tensor (it, or the other operand, requires grad), it
    # cannot change in place: a leaf is refused, as PyTorch does, and any other tensor gives a
    # new result, as `t = t + other` would.

    def __iadd__(self, other: ArrayLike) -> Tensor:
        if self._graph_needs_a_new_tensor("+=", other):
            return self + other
        return self._update("+=", np.add, other)

    def __isub__(self, other: ArrayLike) -> Tensor:
        if self._graph_needs_a_new_tensor("-=", other):
            return self - other
        return self._update("-=", np.subtract, other)

    def __imul__(self, other: ArrayLike) -> Tensor:
        if self._graph_needs_a_new_tensor("*=", other):
            return self * other
        return self._update("*=", np.multiply, other)

    def __itruediv__(self, other: ArrayLike) -> Tensor:
        if self._graph_needs_a_new_tensor("/=", other):
            return self / other
        return self._update("/=", np.true_divide, other)

    def zero_(self) -> Tensor:
        """Set every element to 0 (e.g. `w.grad.zero_()`) and return this tensor."""
        if self._graph_needs_a_new_tensor("zero_()", None):
            raise RuntimeError("zero_(): this tensor is part of a recorded graph; use t * 0 for a new tensor")
        self.data = np.zeros_like(self.data)
        return self

    # PyTorch's in-place methods, for updates by hand under no_grad(): `p.add_(p.grad, alpha=-lr)`.
    # Unlike `+=`, a method call cannot hand back a new tensor, so inside a recorded graph it refuses.

    def add_(self, other: ArrayLike, *, alpha: float = 1) -> Tensor:
        """self ← self + alpha · other, in place; returns this tensor."""
        return self._in_place("add_", "t + other", np.add, other, alpha)

    def sub_(self, other: ArrayLike, *, alpha: float = 1) -> Tensor:
        """self ← self - alpha · other, in place; returns this tensor."""
        return self._in_place("sub_", "t - other", np.subtract, other, alpha)

    def mul_(self, other: ArrayLike) -> Tensor:
        """self ← self · other, in place; returns this tensor."""
        return self._in_place("mul_", "t * other", np.multiply, other)

    def div_(self, other: ArrayLike) -> Tensor:
        """self ← self / other, in place; returns this tensor."""
        return self._in_place("div_", "t / other", np.true_divide, other)

    def copy_(self, source: ArrayLike) -> Tensor:
        """Take the values of `source` (broadcast to this shape, in this dtype); returns this tensor."""
        return self._in_place("copy_", "source.clone()", lambda _, value, out: np.copyto(out, value), source)

    def fill_(self, value: float) -> Tensor:
        """Set every element to `value`; returns this tensor."""
        return self._in_place("fill_", "t * 0 + value", lambda _, v, out: out.fill(v), value)

    def _in_place(self, method: str, instead: str, update: Callable, other: ArrayLike, alpha: float = 1) -> Tensor:
        if self._graph_needs_a_new_tensor(f"{method}()", other):
            raise RuntimeError(
                f"{method}(): this tensor is part of a recorded graph, and changing it in place would hide "
                f"what the graph computed; write {instead} for a new tensor, or call {method} under no_grad()"
            )
        value = other if alpha == 1 else np.multiply(alpha, as_array(other))
        return self._update(f"{method}()", update, value, instead)

    def _graph_needs_a_new_tensor(self, operation: str, other: Any) -> bool:
        """Whether `operation` must give a new tensor because a graph is recorded through this one."""
        other_requires_grad = isinstance(other, Tensor) and other._requires_grad
        if not (is_grad_enabled() and (self._requires_grad or other_requires_grad)):
            return False
        if self._requires_grad and self._ctx is None:
            raise RuntimeError(
                f"{operation}: a leaf tensor that requires grad cannot be changed in place while the graph is "
                "recorded (PyTorch refuses too). Update it under `with no_grad():`, as optimisers do."
            )
        return True

    def _update(self, operation: str, ufunc: Callable, other: ArrayLike, instead: str | None = None) -> Tensor:
        """This tensor takes the value ufunc(self, other), in its own shape and dtype."""
        result = np.empty_like(self.data)
        try:
            ufunc(self.data, as_array(other), out=result)
        except (TypeError, ValueError) as error:  # another dtype (int += float) or a bigger shape
            kind = TypeError if isinstance(error, TypeError) else ValueError
            raise kind(
                f"{operation}: cannot store the result in this tensor of shape {self.shape} and dtype "
                f"{self.dtype} ({error}); write {instead or f't = t {operation[0]} other'} for a new tensor instead"
            ) from error
        self.data = result
        return self

    # Comparisons give bool tensors outside the graph (a step function has no useful gradient).
    def __lt__(self, other: ArrayLike) -> Tensor:
        return Tensor(np.asarray(self.data < as_array(other)))

    def __le__(self, other: ArrayLike) -> Tensor:
        return Tensor(np.asarray(self.data <= as_array(other)))

    def __gt__(self, other: ArrayLike) -> Tensor:
        return Tensor(np.asarray(self.data > as_array(other)))

    def __ge__(self, other: ArrayLike) -> Tensor:
        return Tensor(np.asarray(self.data >= as_array(other)))

    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        return Tensor(np.asarray(self.data == as_array(other)))

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        return Tensor(np.asarray(self.data != as_array(other)))

    def __invert__(self) -> Tensor:
        if self.data.dtype != np.bool_:
            raise TypeError(f"~ is only defined for bool tensors, not {self.data.dtype}")
        return Tensor(~self.data)

    def __and__(self, other: ArrayLike) -> Tensor:
        return Tensor(np.asarray(self.data & as_array(other)))

    def __or__(self, other: ArrayLike) -> Tensor:
        return Tensor(np.asarray(self.data | as_array(other)))

    # ------------------------------------------------------------------ methods with gradients

    # The reductions take numpy's `axis` and `keepdims`; PyTorch's `dim` and `keepdim` are
    # accepted where they mean the same (see `_pytorch_axis`).

    def sum(
        self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None, keepdim: bool | None = None
    ) -> Tensor:
        """Sum over `axis` (all axes by default)."""
        if dim is not None or keepdim is not None:
            axis, keepdims = _pytorch_axis("sum", axis, keepdims, dim, keepdim)
        return reduction.Sum.apply(self, axis=axis, keepdims=keepdims)

    def mean(
        self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None, keepdim: bool | None = None
    ) -> Tensor:
        """Arithmetic mean over `axis` (all axes by default)."""
        if dim is not None or keepdim is not None:
            axis, keepdims = _pytorch_axis("mean", axis, keepdims, dim, keepdim)
        return reduction.Mean.apply(self, axis=axis, keepdims=keepdims)

    def var(self, axis: Axis = None, keepdims: bool = False, ddof: int = 0, *, dim: Axis = None) -> Tensor:
        """Variance `sum((x - mean)^2) / (n - ddof)`; numpy's default `ddof=0` divides by n."""
        if dim is not None:
            raise _pytorch_default_differs("var", "divides by n - 1 by default", "var(axis=..., ddof=1)")
        return reduction.Var.apply(self, axis=axis, keepdims=keepdims, ddof=ddof)

    def std(self, axis: Axis = None, keepdims: bool = False, ddof: int = 0, *, dim: Axis = None) -> Tensor:
        """Standard deviation, `sqrt(var)`; its gradient is 0 where all values are equal, as in PyTorch."""
        if dim is not None:
            raise _pytorch_default_differs("std", "divides by n - 1 by default", "std(axis=..., ddof=1)")
        return reduction.Std.apply(self, axis=axis, keepdims=keepdims, ddof=ddof)

    def max(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None) -> Tensor:
        """Largest value over `axis`; tied maxima share the gradient evenly (like `torch.amax`, or
        `torch.max(x)` over all elements)."""
        if dim is not None:
            raise _pytorch_default_differs("max", "returns (values, indices)", "max(axis=...) and argmax(axis=...)")
        return reduction.Max.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None) -> Tensor:
        """Smallest value over `axis`; tied minima share the gradient evenly (like `torch.amin`, or
        `torch.min(x)` over all elements)."""
        if dim is not None:
            raise _pytorch_default_differs("min", "returns (values, indices)", "min(axis=...) and argmin(axis=...)")
        return reduction.Min.apply(self, axis=axis, keepdims=keepdims)

    def argmax(
        self, axis: int | None = None, keepdims: bool = False, *, dim: int | None = None, keepdim: bool | None = None
    ) -> Tensor:
        """Index of the largest value (an integer tensor, no gradient)."""
        if dim is not None or keepdim is not None:
            axis, keepdims = _pytorch_axis("argmax", axis, keepdims, dim, keepdim)
        return Tensor(np.asarray(self.data.argmax(axis=axis, keepdims=keepdims)))

    def argmin(
        self, axis: int | None = None, keepdims: bool = False, *, dim: int | None = None, keepdim: bool | None = None
    ) -> Tensor:
        """Index of the smallest value (an integer tensor, no gradient)."""
        if dim is not None or keepdim is not None:
            axis, keepdims = _pytorch_axis("argmin", axis, keepdims, dim, keepdim)
        return Tensor(np.asarray(self.data.argmin(axis=axis, keepdims=keepdims)))

    def any(self, axis: int | None = None) -> Tensor:
        return Tensor(np.asarray(self.data.any(axis=axis)))

    def all(self, axis: int | None = None) -> Tensor:
        return Tensor(np.asarray(self.data.all(axis=axis)))

    def reshape(self, *shape: int | tuple[int, ...]) -> Tensor:
        """Same values in a new shape; `-1` infers one dimension. `t.reshape(2, 3)` or `t.reshape((2, 3))`."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return shape_ops.Reshape.apply(self, shape=shape)

    def clone(self) -> Tensor:
        """A copy with its own array, still in the graph (PyTorch's `clone`; `detach()` cuts it)."""
        return shape_ops.Clone.apply(self)

    def flatten(self) -> Tensor:
        """A 1-D view of all elements."""
        return self.reshape(-1)

    def transpose(self, *axes: int | tuple[int, ...]) -> Tensor:
        """Permute the axes (numpy's meaning); no argument reverses them."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return shape_ops.Transpose.apply(self, axes=axes or None)

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        """Exchange two axes (PyTorch's `transpose(dim0, dim1)`)."""
        axes = list(range(self.ndim))
        axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
        return shape_ops.Transpose.apply(self, axes=tuple(axes))

    @property
    def T(self) -> Tensor:
        """The axes reversed (the transpose of a matrix)."""
        return shape_ops.Transpose.apply(self, axes=None)

    def squeeze(self, axis: Axis = None, *, dim: Axis = None) -> Tensor:
        """Drop axes of length one (all of them, or those of `axis`; `dim` is PyTorch's name for it)."""
        axis = _pytorch_axis("squeeze", axis, False, dim, None)[0]
        return self.reshape(np.squeeze(np.empty(self.shape, dtype=bool), axis=axis).shape)

    def unsqueeze(self, axis: int | None = None, *, dim: int | None = None) -> Tensor:
        """Insert an axis of length one at `axis` (`dim` is PyTorch's name for it)."""
        axis = _pytorch_axis("unsqueeze", axis, False, dim, None)[0]
        if axis is None:
            raise TypeError("unsqueeze: say where the new axis goes, e.g. t.unsqueeze(0)")
        return self.reshape(np.expand_dims(np.empty(self.shape, dtype=bool), axis).shape)

    def broadcast_to(self, shape: tuple[int, ...]) -> Tensor:
        """Repeat along axes of length one (numpy broadcasting); the gradient is summed back."""
        return shape_ops.BroadcastTo.apply(self, shape=tuple(shape))

    def astype(self, dtype: Any) -> Tensor:
        """The values converted to `dtype`; the gradient is converted back."""
        return arithmetic.Cast.apply(self, dtype=np.dtype(dtype))

    def exp(self) -> Tensor:
        """e^x"""
        return elementwise.Exp.apply(self)

    def log(self) -> Tensor:
        """Natural logarithm ln(x)."""
        return elementwise.Log.apply(self)

    def sqrt(self) -> Tensor:
        """√x"""
        return elementwise.Sqrt.apply(self)

    def abs(self) -> Tensor:
        """|x| (gradient 0 at 0, like PyTorch)."""
        return elementwise.Abs.apply(self)

    def sign(self) -> Tensor:
        """-1, 0 or 1 by the sign of each element; its gradient is 0 everywhere (as in PyTorch)."""
        return elementwise.Sign.apply(self)

    def sin(self) -> Tensor:
        """sin x"""
        return elementwise.Sin.apply(self)

    def cos(self) -> Tensor:
        """cos x"""
        return elementwise.Cos.apply(self)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent."""
        return elementwise.Tanh.apply(self)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e^-x), computed without overflow for large |x|."""
        return elementwise.Sigmoid.apply(self)

    def relu(self) -> Tensor:
        """max(x, 0), with relu'(0) = 0."""
        return elementwise.Relu.apply(self)

    def logsigmoid(self) -> Tensor:
        """ln(1 / (1 + e^-x)), computed without overflow; the stable core of binary cross-entropy."""
        return elementwise.LogSigmoid.apply(self)

    def logsumexp(
        self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None, keepdim: bool | None = None
    ) -> Tensor:
        """ln Σ e^x over axis, computed as m + ln Σ e^(x - m) with m the maximum, so e^x never overflows."""
        if dim is not None or keepdim is not None:
            axis, keepdims = _pytorch_axis("logsumexp", axis, keepdims, dim, keepdim)
        return reduction.LogSumExp.apply(self, axis=axis, keepdims=keepdims)

    def softmax(self, axis: int = -1, *, dim: int | None = None) -> Tensor:
        """e^x / Σ e^x along axis (`dim` is PyTorch's name for it), with the maximum subtracted first."""
        return softmax_ops.Softmax.apply(self, axis=axis if dim is None else dim)

    def log_softmax(self, axis: int = -1, *, dim: int | None = None) -> Tensor:
        """x - ln Σ e^x along axis, computed as (x - m) - ln Σ e^(x - m) with m the maximum, so that e^x
        never overflows and huge logits keep their precision (as PyTorch computes it)."""
        return softmax_ops.LogSoftmax.apply(self, axis=axis if dim is None else dim)

    def clip(
        self, lo: float | None = None, hi: float | None = None, *, min: float | None = None, max: float | None = None
    ) -> Tensor:
        """Limit values to [lo, hi] (`min=`, `max=`: PyTorch's names for them); the gradient passes
        where lo <= x <= hi (like `torch.clamp`)."""
        if min is not None or max is not None:
            if lo is not None or hi is not None:
                raise TypeError("clip: give the bounds as clip(lo, hi) or as clip(min=..., max=...), not both")
            lo, hi = min, max
        return elementwise.Clip.apply(self, lo=lo, hi=hi)

    clamp = clip

    def pow(self, exponent: ArrayLike) -> Tensor:
        return self**exponent


# The operations import Tensor, so they are imported after it is defined.
from autograd import device as device_module  # noqa: E402
from autograd import engine, hooks  # noqa: E402  (the backward pass and hooks; they import Tensor too)
from autograd.arguments import _pytorch_axis, _pytorch_default_differs, as_array, as_index, as_operand  # noqa: E402
from autograd.grad_mode import is_grad_enabled  # noqa: E402
from autograd.ops import arithmetic, elementwise, matmul, reduction  # noqa: E402
from autograd.ops import shape as shape_ops  # noqa: E402
from autograd.ops import softmax as softmax_ops  # noqa: E402

# numpy's operator ufuncs and the Tensor methods for (Tensor first, Tensor second).
_REFLECTED = {
    np.add: ("__add__", "__radd__"),
    np.subtract: ("__sub__", "__rsub__"),
    np.multiply: ("__mul__", "__rmul__"),
    np.true_divide: ("__truediv__", "__rtruediv__"),
    np.power: ("__pow__", "__rpow__"),
    np.matmul: ("__matmul__", "__rmatmul__"),
    np.less: ("__lt__", "__gt__"),
    np.less_equal: ("__le__", "__ge__"),
    np.greater: ("__gt__", "__lt__"),
    np.greater_equal: ("__ge__", "__le__"),
    np.equal: ("__eq__", "__eq__"),
    np.not_equal: ("__ne__", "__ne__"),
}


def _pytorch_style(values: np.ndarray, prefix: str) -> str:
    """An array's numbers as PyTorch prints them: `[1., 2.]` for whole numbers, else four decimals
    (`[0.1235, 0.5000]`), `[True, False]` for booleans, rows lined up under `prefix`."""
    if values.dtype == np.bool_:
        return np.array2string(values, separator=", ", prefix=prefix, threshold=1000, formatter={"bool": str})
    if values.dtype.kind == "f":
        finite = np.abs(values[np.isfinite(values)])
        nonzero = finite[finite > 0]
        whole = bool(np.all(finite == np.round(finite)))
        scientific = nonzero.size > 0 and (nonzero.max() >= 1e8 or nonzero.min() < 1e-4)  # numpy switches itself
        if not whole and not scientific:
            return np.array2string(
                values, separator=", ", prefix=prefix, precision=4, floatmode="fixed", threshold=1000, edgeitems=3
            )
    return np.array2string(values, separator=", ", prefix=prefix, precision=4, threshold=1000, edgeitems=3)
