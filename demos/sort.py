"""A tiny causal transformer learns to sort: minGPT's sort task. Each example is 6 digits from
{0, 1, 2} followed by the same digits sorted; the model reads left to right and must write the
sorted half one digit at a time. Sequences are generated; a quarter of the 729 possible ones are
held out, and 1,000 test sequences drawn from those are sorted by greedy decoding.

Writes sort_attention.png (each head's attention weights on one held-out sequence, per layer).

    python -m demos.sort [--seed 0] [--steps 2000] [--out out/sort]
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import numpy as np

import nn
from autograd import Tensor, no_grad
from demos.common import out_folder, parser
from nn.functional.attention import causal_mask

DIGITS, LENGTH = 3, 6
CONTEXT = 2 * LENGTH - 1  # the model sees the sequence and the sorted half but its last digit


class Block(nn.Module):
    """x + attention(LayerNorm(x)), then x + MLP(LayerNorm(x)): a pre-norm transformer block."""

    def __init__(self, width: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attention = nn.MultiheadAttention(width, heads, batch_first=True)
        self.mlp = nn.Sequential(
            nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width), nn.Dropout(dropout)
        )
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: Tensor, need_weights: bool = False) -> tuple[Tensor, Tensor | None]:
        normed = self.norm1(x)
        blocked = ~causal_mask(x.shape[1], x.shape[1])  # MultiheadAttention's mask: True = blocked
        attended, weights = self.attention(
            normed, normed, normed, attn_mask=blocked, need_weights=need_weights, average_attn_weights=False
        )
        x = x + self.dropout(attended)
        return x + self.mlp(self.norm2(x)), weights


class SortTransformer(nn.Module):
    """Token and position embeddings, `layers` blocks, a final LayerNorm, and a Linear to the digits
    (dropout on the embeddings and on each block's two branches, as minGPT)."""

    def __init__(self, layers: int = 3, heads: int = 3, width: int = 48, dropout: float = 0.1) -> None:
        super().__init__()
        self.tokens, self.positions = nn.Embedding(DIGITS, width), nn.Embedding(CONTEXT, width)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(width, heads, dropout) for _ in range(layers)])
        self.norm, self.head = nn.LayerNorm(width), nn.Linear(width, DIGITS)

    def forward(self, tokens: np.ndarray, need_weights: bool = False) -> tuple[Tensor, list]:
        x = self.dropout(self.tokens(tokens) + self.positions(np.arange(tokens.shape[1])))
        weights = []
        for block in self.blocks:
            x, w = block(x, need_weights)
            weights.append(w)
        return self.head(self.norm(x)), weights


def split(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Every one of the 3^6 sequences, shuffled: (training sequences, held-out sequences)."""
    every = np.array(list(itertools.product(range(DIGITS), repeat=LENGTH)))
    every = every[np.random.default_rng(seed).permutation(len(every))]
    held_out = len(every) // 4
    return every[held_out:], every[:held_out]


def examples(sequences: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(inputs, targets): the sequence then its sorted digits, shifted by one for the targets."""
    full = np.concatenate([sequences, np.sort(sequences, axis=1)], axis=1)
    return full[:, :-1], full[:, 1:]


def sort_greedily(model: SortTransformer, sequences: np.ndarray) -> np.ndarray:
    """Write the sorted half one digit at a time, each time taking the most likely digit."""
    tokens = sequences
    model.eval()
    with no_grad():
        for _ in range(LENGTH):
            logits, _ = model(tokens)
            tokens = np.concatenate([tokens, logits.data[:, -1].argmax(axis=-1)[:, np.newaxis]], axis=1)
    model.train()
    return tokens[:, LENGTH:]


def train(seed: int = 0, steps: int = 2000, batch_size: int = 64, lr: float = 2e-3, progress: bool = True) -> dict:
    """Train on random batches of the training sequences; returns the model, losses, accuracy, time."""
    from tqdm import tqdm

    train_sequences, held_out = split(seed)
    nn.manual_seed(seed)
    model = SortTransformer()
    optimizer = nn.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    schedule = nn.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    rng = np.random.default_rng(seed)
    losses = []
    start = time.perf_counter()
    bar = tqdm(range(steps), desc="sort", unit="step", disable=not progress, mininterval=1.0)
    for _ in bar:
        inputs, targets = examples(train_sequences[rng.integers(0, len(train_sequences), size=batch_size)])
        logits, _ = model(inputs)
        # Only the sorted half is predicted: the first half is given.
        answer = logits[:, LENGTH - 1 :].reshape(-1, DIGITS)
        loss = nn.functional.cross_entropy(answer, Tensor(targets[:, LENGTH - 1 :].reshape(-1)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
        bar.set_postfix(loss=f"{losses[-1]:.4f}", refresh=False)
    seconds = time.perf_counter() - start
    test = held_out[np.random.default_rng(seed + 1).integers(0, len(held_out), size=1000)]
    correct = (sort_greedily(model, test) == np.sort(test, axis=1)).all(axis=1)
    return {"model": model, "losses": losses, "accuracy": float(correct.mean()), "seconds": seconds, "test": test}


def plot(result: dict, out: Path) -> Path:
    """Each layer's heads attending over one held-out sequence and its sorted half."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    model, sequence = result["model"], result["test"][:1]
    inputs, _ = examples(sequence)
    model.eval()
    with no_grad():
        _, weights = model(inputs, need_weights=True)
    layers, heads = len(weights), weights[0].shape[1]
    figure, axes = plt.subplots(layers, heads, figsize=(3.1 * heads, 3.0 * layers), squeeze=False)
    labels = [str(d) for d in inputs[0]]
    for layer, row in enumerate(axes):
        for head, axis in enumerate(row):
            axis.imshow(weights[layer].data[0, head], cmap="viridis", vmin=0, vmax=1)
            axis.set_xticks(range(len(labels)), labels, fontsize=7)
            axis.set_yticks(range(len(labels)), labels, fontsize=7)
            axis.set_title(f"layer {layer}, head {head}", fontsize=9)
    figure.suptitle("attention weights (rows: queries, columns: keys) on a held-out sequence", fontsize=10)
    figure.tight_layout()
    path = out / "sort_attention.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> dict:
    command = parser(__doc__, "out/sort")
    command.add_argument("--steps", type=int, default=2000, help="training steps of 64 sequences (default 2000)")
    command.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = command.parse_args(argv)
    result = train(args.seed, args.steps, progress=not args.no_progress)
    print(
        f"exact-match accuracy: {result['accuracy']:.1%} of 1000 held-out sequences sorted "
        f"(trained in {result['seconds']:.0f} s)"
    )
    print(f"wrote {plot(result, out_folder(args.out))}")
    return result


if __name__ == "__main__":
    main()
