"""Functions behind the layers and losses: `import nn.functional as F`, PyTorch's names and arguments.

Most are composed of autograd operations, so their gradients (and second derivatives) come from
the engine. Convolution, pooling and padding are `Function`s with their own backward, each one
node of the graph with its derivative beside its forward, written so that it can be
differentiated again.
"""

from nn.functional.activations import (
    Erf,
    dropout,
    gelu,
    leaky_relu,
    linear,
    log_softmax,
    relu,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from nn.functional.attention import scaled_dot_product_attention
from nn.functional.convolution import Convolution, conv1d, conv2d, fold, unfold
from nn.functional.embedding import embedding, one_hot
from nn.functional.losses import (
    NllLoss,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    nll_loss,
)
from nn.functional.normalization import batch_norm, layer_norm
from nn.functional.padding import Pad, pad
from nn.functional.pooling import (
    AvgPool,
    MaxPool,
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from nn.functional.windows import Fold, Unfold

__all__ = [
    "AvgPool",
    "Convolution",
    "Erf",
    "Fold",
    "MaxPool",
    "NllLoss",
    "Pad",
    "Unfold",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy_with_logits",
    "conv1d",
    "conv2d",
    "cross_entropy",
    "dropout",
    "embedding",
    "fold",
    "gelu",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool1d",
    "max_pool2d",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "pad",
    "relu",
    "scaled_dot_product_attention",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "tanh",
    "unfold",
]
