"""PyTorch's top-level namespace, made of glassgrad, so that PyTorch code runs with one line changed::

    import nn.as_torch as torch          # instead of: import torch

    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.linspace(-1, 1, 10, requires_grad=True)

`torch.tensor`, `torch.sin`, `torch.no_grad`, `torch.float64`, ... are the engine's own names
(`autograd`); `torch.nn` is glassgrad's `nn`, `torch.optim` its optimisers, `torch.autograd` the
engine itself (`Function`, `grad`, `gradcheck`), and `torch.save` / `torch.load` are `nn.save` /
`nn.load` (files that are never unpickled). It lives in `nn` because the engine never imports `nn`.
Code that needs only the engine can use `import autograd as torch`.
"""

import nn
from autograd import *  # noqa: F403  (torch's top level holds the engine's names)
from autograd import __all__ as _engine_names
from nn import optim
from nn.serialization import load, save

__all__ = [*_engine_names, "load", "nn", "optim", "save"]
