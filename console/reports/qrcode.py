"""A small QR code encoder (ISO/IEC 18004): byte mode, error correction level M, versions 1-10
(up to 213 bytes), which is plenty for a verification URL. Pure Python, no Qt.

`encode(text)` returns the module matrix (rows of booleans, True = dark) without the quiet
zone; the caller draws it with a 4-module light margin. The steps follow the standard:
data bits -> pad -> split into blocks -> Reed-Solomon over GF(256) (polynomial 0x11D) ->
interleave -> zigzag placement -> the mask with the lowest penalty -> format and version info.
"""

from __future__ import annotations

import itertools
from typing import Final

# Per version (1-10), level M: (EC codewords per block, [(block count, data codewords), ...]).
_BLOCKS_M: Final[dict[int, tuple[int, tuple[tuple[int, int], ...]]]] = {
    1: (10, ((1, 16),)),
    2: (16, ((1, 28),)),
    3: (26, ((1, 44),)),
    4: (18, ((2, 32),)),
    5: (24, ((2, 43),)),
    6: (16, ((4, 27),)),
    7: (18, ((4, 31),)),
    8: (22, ((2, 38), (2, 39))),
    9: (22, ((3, 36), (2, 37))),
    10: (26, ((4, 43), (1, 44))),
}
_ALIGNMENT: Final[dict[int, tuple[int, ...]]] = {
    1: (),
    2: (6, 18),
    3: (6, 22),
    4: (6, 26),
    5: (6, 30),
    6: (6, 34),
    7: (6, 22, 38),
    8: (6, 24, 42),
    9: (6, 26, 46),
    10: (6, 28, 50),
}
_FORMAT_BITS_M: Final = 0b00  # level M in the format information
MAX_VERSION: Final = 10

Matrix = list[list[bool]]


class QrCapacityError(ValueError):
    """The text does not fit in a version-10 level-M symbol."""


def _data_capacity(version: int) -> int:
    _, groups = _BLOCKS_M[version]
    return sum(count * size for count, size in groups)


def _gf_mul(x: int, y: int) -> int:
    z = 0
    for i in reversed(range(8)):
        z = (z << 1) ^ ((z >> 7) * 0x11D)
        z ^= ((y >> i) & 1) * x
    return z


def _rs_divisor(degree: int) -> list[int]:
    result = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for j in range(degree):
            result[j] = _gf_mul(result[j], root)
            if j + 1 < degree:
                result[j] ^= result[j + 1]
        root = _gf_mul(root, 0x02)
    return result


def _rs_remainder(data: list[int], divisor: list[int]) -> list[int]:
    result = [0] * len(divisor)
    for byte in data:
        factor = byte ^ result.pop(0)
        result.append(0)
        for i, coefficient in enumerate(divisor):
            result[i] ^= _gf_mul(coefficient, factor)
    return result


def choose_version(length: int) -> int:
    """Smallest version whose level-M byte-mode capacity holds `length` bytes."""
    for version in range(1, MAX_VERSION + 1):
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * length <= 8 * _data_capacity(version):
            return version
    raise QrCapacityError(f"{length} bytes do not fit in a version-{MAX_VERSION} M symbol")


def _data_codewords(payload: bytes, version: int) -> list[int]:
    bits: list[int] = []

    def put(value: int, width: int) -> None:
        bits.extend((value >> i) & 1 for i in reversed(range(width)))

    put(0b0100, 4)  # byte mode
    put(len(payload), 8 if version < 10 else 16)
    for byte in payload:
        put(byte, 8)
    capacity = 8 * _data_capacity(version)
    put(0, min(4, capacity - len(bits)))  # terminator
    put(0, -len(bits) % 8)
    codewords = [int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits), 8)]
    pad = (0xEC, 0x11)
    while len(codewords) < capacity // 8:
        codewords.append(pad[(len(codewords) - len(bits) // 8) % 2])
    return codewords


def _with_ecc(data: list[int], version: int) -> list[int]:
    ec_len, groups = _BLOCKS_M[version]
    divisor = _rs_divisor(ec_len)
    blocks: list[list[int]] = []
    ecc: list[list[int]] = []
    start = 0
    for count, size in groups:
        for _ in range(count):
            block = data[start : start + size]
            start += size
            blocks.append(block)
            ecc.append(_rs_remainder(block, divisor))
    result: list[int] = []
    for i in range(max(len(b) for b in blocks)):
        result.extend(block[i] for block in blocks if i < len(block))
    for i in range(ec_len):
        result.extend(block[i] for block in ecc)
    return result


class _Symbol:
    def __init__(self, version: int) -> None:
        self.version = version
        self.size = 17 + 4 * version
        self.dark: Matrix = [[False] * self.size for _ in range(self.size)]
        self.function: Matrix = [[False] * self.size for _ in range(self.size)]
        self._draw_function_patterns()

    def _set(self, x: int, y: int, dark: bool) -> None:
        self.dark[y][x] = dark
        self.function[y][x] = True

    def _draw_function_patterns(self) -> None:
        size = self.size
        for i in range(size):
            self._set(6, i, i % 2 == 0)
            self._set(i, 6, i % 2 == 0)
        for cx, cy in ((3, 3), (size - 4, 3), (3, size - 4)):
            for dy in range(-4, 5):
                for dx in range(-4, 5):
                    x, y = cx + dx, cy + dy
                    if 0 <= x < size and 0 <= y < size:
                        self._set(x, y, max(abs(dx), abs(dy)) not in (2, 4))
        positions = _ALIGNMENT[self.version]
        last = len(positions) - 1
        for i, ay in enumerate(positions):
            for j, ax in enumerate(positions):
                if (i, j) in ((0, 0), (0, last), (last, 0)):
                    continue
                for dy in range(-2, 3):
                    for dx in range(-2, 3):
                        self._set(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1)
        self.draw_format(0)  # reserve; redrawn once the mask is known
        if self.version >= 7:
            rem = self.version
            for _ in range(12):
                rem = (rem << 1) ^ ((rem >> 11) * 0x1F25)
            bits = self.version << 12 | rem
            for i in range(18):
                bit = (bits >> i) & 1 == 1
                a, b = size - 11 + i % 3, i // 3
                self._set(a, b, bit)
                self._set(b, a, bit)

    def draw_format(self, mask: int) -> None:
        data = _FORMAT_BITS_M << 3 | mask
        rem = data
        for _ in range(10):
            rem = (rem << 1) ^ ((rem >> 9) * 0x537)
        bits = (data << 10 | rem) ^ 0x5412

        def bit(i: int) -> bool:
            return (bits >> i) & 1 == 1

        size = self.size
        for i in range(6):
            self._set(8, i, bit(i))
        self._set(8, 7, bit(6))
        self._set(8, 8, bit(7))
        self._set(7, 8, bit(8))
        for i in range(9, 15):
            self._set(14 - i, 8, bit(i))
        for i in range(8):
            self._set(size - 1 - i, 8, bit(i))
        for i in range(8, 15):
            self._set(8, size - 15 + i, bit(i))
        self._set(8, size - 8, True)  # the dark module

    def place(self, codewords: list[int]) -> None:
        size = self.size
        total = len(codewords) * 8
        i = 0
        right = size - 1
        while right >= 1:
            if right == 6:
                right = 5
            upward = ((right + 1) & 2) == 0
            for vert in range(size):
                y = size - 1 - vert if upward else vert
                for j in range(2):
                    x = right - j
                    if not self.function[y][x] and i < total:
                        self.dark[y][x] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1
                        i += 1
            right -= 2

    def apply_mask(self, mask: int) -> None:
        for y in range(self.size):
            for x in range(self.size):
                if not self.function[y][x] and _mask_bit(mask, x, y):
                    self.dark[y][x] = not self.dark[y][x]


def _mask_bit(mask: int, x: int, y: int) -> bool:
    if mask == 0:
        return (x + y) % 2 == 0
    if mask == 1:
        return y % 2 == 0
    if mask == 2:
        return x % 3 == 0
    if mask == 3:
        return (x + y) % 3 == 0
    if mask == 4:
        return (x // 3 + y // 2) % 2 == 0
    if mask == 5:
        return x * y % 2 + x * y % 3 == 0
    if mask == 6:
        return (x * y % 2 + x * y % 3) % 2 == 0
    return ((x + y) % 2 + x * y % 3) % 2 == 0


_FINDER_LIKE: Final = (
    (True, False, True, True, True, False, True, False, False, False, False),
    (False, False, False, False, True, False, True, True, True, False, True),
)


def penalty(matrix: Matrix) -> int:
    """The standard's mask penalty: runs, 2x2 blocks, finder look-alikes, dark balance."""
    size = len(matrix)
    score = 0
    lines = [list(row) for row in matrix] + [
        [matrix[y][x] for y in range(size)] for x in range(size)
    ]
    for line in lines:
        run = 1
        for a, b in itertools.pairwise(line):
            if a == b:
                run += 1
            else:
                if run >= 5:
                    score += run - 2
                run = 1
        if run >= 5:
            score += run - 2
        padded = [False] * 4 + line + [False] * 4
        for start in range(len(padded) - 10):
            window = tuple(padded[start : start + 11])
            if window in _FINDER_LIKE:
                score += 40
    for y in range(size - 1):
        for x in range(size - 1):
            colour = matrix[y][x]
            if colour == matrix[y][x + 1] == matrix[y + 1][x] == matrix[y + 1][x + 1]:
                score += 3
    dark = sum(sum(row) for row in matrix)
    total = size * size
    k = (abs(dark * 20 - total * 10) + total - 1) // total - 1
    return score + 10 * k


def encode(text: str | bytes, mask: int | None = None) -> Matrix:
    """The QR symbol for `text` (UTF-8 in byte mode), level M, smallest version that fits."""
    payload = text.encode("utf-8") if isinstance(text, str) else text
    version = choose_version(len(payload))
    codewords = _with_ecc(_data_codewords(payload, version), version)
    best: Matrix | None = None
    best_score = 0
    for candidate in range(8) if mask is None else (mask,):
        symbol = _Symbol(version)
        symbol.place(codewords)
        symbol.apply_mask(candidate)
        symbol.draw_format(candidate)
        score = penalty(symbol.dark)
        if best is None or score < best_score:
            best, best_score = symbol.dark, score
    assert best is not None
    return best
