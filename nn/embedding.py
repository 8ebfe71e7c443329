"""`Embedding`: a learned vector for each of `num_embeddings` tokens, looked up by index."""

from __future__ import annotations

import numpy as np

from autograd import Tensor
from nn import functional as F
from nn import init
from nn.module import Module
from nn.parameter import Parameter


class Embedding(Module):
    """weight[input], with `weight` (num_embeddings, embedding_dim) drawn from N(0, 1) as in PyTorch."""

    def __init__(self, num_embeddings: int, embedding_dim: int) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.weight = init.normal_(Parameter(np.zeros((num_embeddings, embedding_dim))))

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(input, self.weight)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"
