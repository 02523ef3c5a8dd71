"""BlazeFace (MediaPipe's face detector, 256 × 256 "back" model) as @vladmandic/human runs it
(src/face/blazeface.ts): input, anchors, decoding, and what is compared."""

import numpy as np

from photos import resize_bilinear, shifted

INPUT_SIZE = 256  # input: 256 × 256 RGB scaled to [-1, 1]


def anchors():
    """(896, 2) anchor centres in input pixels: 16×16 cells × 2 anchors, then 8×8 cells × 6."""
    points = []
    for stride, per_cell in ((INPUT_SIZE // 16, 2), (INPUT_SIZE // 8, 6)):
        cells = INPUT_SIZE // stride
        for gy in range(cells):
            for gx in range(cells):
                points += [(stride * (gx + 0.5), stride * (gy + 0.5))] * per_cell
    return np.array(points, dtype=np.float32)


ANCHORS = anchors()


def raw_outputs(model, photo, weights=None):
    """(896, 17) per anchor: score logit, box centre offset x y, size w h, six landmarks x y."""
    x = resize_bilinear(photo, INPUT_SIZE, INPUT_SIZE) / 127.5 - 1.0
    outs = model.run({"input": x[None].astype(np.float32)}, model.output_names(), weights)
    small384, small512, big384, big512 = sorted(outs, key=lambda a: a.size)  # as human sorts them
    return np.concatenate([np.concatenate([small512, big512], 2), np.concatenate([small384, big384], 2)], 1)[0]


def top_detection(raw, photo_shape):
    """The highest-scoring anchor: (score, box x1 y1 x2 y2 in photo pixels, landmarks (6, 2))."""
    best = int(np.argmax(raw[:, 0]))
    score = float(0.5 * (1 + np.tanh(0.5 * raw[best, 0])))  # the sigmoid, without overflow
    centre, half = raw[best, 1:3] + ANCHORS[best], raw[best, 3:5] / 2
    to_photo = np.array([photo_shape[1], photo_shape[0]], dtype=np.float32) / INPUT_SIZE
    box = np.concatenate([(centre - half) * to_photo, (centre + half) * to_photo])
    landmarks = (raw[best, 5:17].reshape(6, 2) + ANCHORS[best]) * to_photo
    return score, box, landmarks


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


class BlazeFace:
    """One input per photo. Compared: the top score, the overlap of the top box with the
    original's, and ‖y − y₀‖/‖y₀‖ over all 896 × 17 outputs."""

    model_file = "blazeface.json"
    columns = ("score", "box IoU vs original", "output rel. diff")

    def __init__(self, model, photos):
        self.model, self.photos = model, photos

    def inputs(self):
        return list(self.photos)

    def outputs(self, weights=None, shift=(0, 0)):
        """Raw outputs per photo, the photo first moved by shift = (dx, dy) pixels."""
        return {name: raw_outputs(self.model, shifted(photo, *shift), weights) for name, photo in self.photos.items()}

    def metrics(self, name, raw, reference, shift=(0, 0)):
        score, box, _ = top_detection(raw, self.photos[name].shape)
        _, ref_box, _ = top_detection(reference, self.photos[name].shape)
        box = box - np.array([shift[0], shift[1]] * 2, dtype=np.float32)  # back into the unmoved photo
        return score, float(iou(box, ref_box)), float(np.linalg.norm(raw - reference) / np.linalg.norm(reference))

    def describe(self, name, raw):
        score, box, landmarks = top_detection(raw, self.photos[name].shape)
        return (f"score {score:.3f}, box {np.round(box).astype(int).tolist()}, "
                f"landmarks {np.round(landmarks).astype(int).tolist()}")

    def save_figure(self, path, outputs):
        """The first photo whose top score reaches 0.5, around its detection, with the box and the six
        landmarks drawn: the check that the graph is run and decoded right (eyes on the eyes, …)."""
        from PIL import Image, ImageDraw
        name = next(n for n, raw in outputs.items() if top_detection(raw, self.photos[n].shape)[0] >= 0.5)
        photo = self.photos[name]
        _, box, landmarks = top_detection(outputs[name], photo.shape)
        image = Image.fromarray(photo)
        draw = ImageDraw.Draw(image)
        draw.rectangle([float(v) for v in box], outline=(0, 255, 0), width=2)
        for x, y in landmarks:
            draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(255, 0, 0))
        margin = 0.4 * max(box[2] - box[0], box[3] - box[1])
        image.crop((max(0, int(box[0] - margin)), max(0, int(box[1] - margin)),
                    min(photo.shape[1], int(box[2] + margin)), min(photo.shape[0], int(box[3] + margin)))).save(path)
