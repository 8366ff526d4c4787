"""The model's input from an image: what EfficientNet-Lite0 was trained to see.

The shorter side is resized to RESIZE (bilinear), the centre SIZE x SIZE is cropped, and each RGB value
v in 0..255 becomes (v - MEAN) / STD, channels first (NCHW, float32).
"""
import numpy as np
from PIL import Image

SIZE = 224
RESIZE = 256
MEAN = 127.0
STD = 128.0


def pixels(image):
    image = image.convert("RGB")
    width, height = image.size
    scale = RESIZE / min(width, height)
    resized = image.resize((max(SIZE, round(width * scale)), max(SIZE, round(height * scale))), Image.BILINEAR)
    left = (resized.width - SIZE) // 2
    top = (resized.height - SIZE) // 2
    crop = resized.crop((left, top, left + SIZE, top + SIZE))
    array = (np.asarray(crop, dtype=np.float32) - MEAN) / STD
    return np.ascontiguousarray(array.transpose(2, 0, 1)[np.newaxis])
