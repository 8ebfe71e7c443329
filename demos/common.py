"""What every demo shares: the command line (--seed, --out) and the folder it writes to."""

from __future__ import annotations

import argparse
from pathlib import Path


def parser(description: str, default_out: str, seed: int = 0) -> argparse.ArgumentParser:
    """An argument parser with the demos' common options."""
    command = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("--seed", type=int, default=seed, help=f"random seed (default {seed})")
    command.add_argument(
        "--out", type=Path, default=Path(default_out), help=f"folder for what it writes (default {default_out})"
    )
    return command


def out_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
