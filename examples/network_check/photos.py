"""Photos as numpy arrays: reading, resizing as TensorFlow.js does, moving by whole pixels."""

import numpy as np


def read_photo(path):
    """H × W × 3 uint8 RGB."""
    from PIL import Image
    return np.asarray(Image.open(path).convert("RGB"))


def resize_bilinear(photo, height, width):
    """tf.image.resizeBilinear without align_corners or half-pixel centres: source = dest · in/out."""
    in_h, in_w = photo.shape[:2]
    ys, xs = np.arange(height) * (in_h / height), np.arange(width) * (in_w / width)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, in_h - 1), np.minimum(x0 + 1, in_w - 1)
    fy, fx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    p = photo.astype(np.float32)
    top = p[y0][:, x0] * (1 - fx) + p[y0][:, x1] * fx
    bottom = p[y1][:, x0] * (1 - fx) + p[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


def shifted(photo, dx, dy):
    """The photo moved by (dx, dy) pixels, the uncovered edge repeated."""
    h, w = photo.shape[:2]
    ys = np.clip(np.arange(h) - dy, 0, h - 1)
    xs = np.clip(np.arange(w) - dx, 0, w - 1)
    return photo[ys][:, xs]
