# Type stubs of the signcut package (the functions live in the compiled _signcut extension).
import os
from typing import Any, Callable, Optional, Sequence

import numpy as np
import numpy.typing as npt

_Path = str | os.PathLike[str]

class Decomposition:
    @property
    def width(self) -> int: ...
    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def nbytes(self) -> int: ...
    @property
    def bits_per_entry(self) -> float: ...
    @property
    def precision(self) -> str: ...
    @property
    def stop_reason(self) -> str: ...
    @property
    def relative_errors(self) -> npt.NDArray[np.float64]: ...
    @property
    def coefficients(self) -> npt.NDArray[np.float32]: ...
    @property
    def outliers(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]: ...
    def signs(self, mode: int) -> npt.NDArray[np.int8]: ...
    def reconstruct(self, width: Optional[int] = None) -> npt.NDArray[np.float32]: ...
    def save(self, path: _Path) -> None: ...
    def __matmul__(self, x: npt.ArrayLike) -> npt.NDArray[np.float32]: ...

class Approximation:
    @property
    def reconstruction(self) -> Optional[npt.NDArray[np.float32]]: ...
    @property
    def bits_per_entry(self) -> Optional[float]: ...
    @property
    def relative_error(self) -> Optional[float]: ...
    @property
    def note(self) -> str: ...
    def __matmul__(self, x: npt.ArrayLike) -> npt.NDArray[np.float32]: ...

def decompose(
    a: npt.ArrayLike,
    *,
    width: Optional[int] = None,
    bits_per_entry: Optional[float] = None,
    target_error: Optional[float] = None,
    seed: int = 1,
    precision: str = "f32",
    outliers: str | int = "auto",
    threads: Optional[int] = None,
    progress: Optional[Callable[[int, float], Any]] = None,
) -> Decomposition: ...
def load(path: _Path) -> Decomposition: ...
def load_input(path: _Path) -> npt.NDArray[np.float32]: ...
def methods() -> list[str]: ...
def approximate(
    a: npt.ArrayLike,
    method: str,
    bits_per_entry: float = 2.0,
    seed: int = 1,
    *,
    group_size: int = 0,
    dbf_iterations: int = 0,
) -> Approximation: ...
def compare(
    a: npt.ArrayLike,
    bits: Sequence[float] = (1, 2, 4, 8, 16),
    methods: Optional[Sequence[str]] = None,
    *,
    seed: int = 1,
    group_size: int = 0,
    dbf_iterations: int = 0,
) -> list[dict[str, Any]]: ...
def compress_model(
    src: _Path,
    out: _Path,
    *,
    bits_per_entry: Optional[float] = None,
    fraction_of_bf16: Optional[float] = None,
    method: str = "scd",
    include: Optional[str] = None,
    exclude: Optional[str] = None,
    shard: Optional[str] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
) -> list[dict[str, Any]]: ...
def expand_model(src: _Path, out: _Path, dtype: Optional[str] = None) -> None: ...
