"""The emotion classifier of @vladmandic/human (oarriaga's mini-Xception on FER2013: 64 × 64 grey
face → 7 classes) as human runs it (src/gear/emotion.ts), on the faces BlazeFace finds."""

import os

import numpy as np

import blazeface
import tfjs_graph
from photos import resize_bilinear, shifted

LABELS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
GREY = np.array([0.2989, 0.5870, 0.1140], dtype=np.float32)  # human's RGB → grey weights


def face_window(box, photo_shape, scale=1.4):
    """BlazeFace's box enlarged 1.4× and made square, as human does before cropping (rows, cols)."""
    centre, half = (box[:2] + box[2:]) / 2, scale * max(box[2] - box[0], box[3] - box[1]) / 2
    x0, y0 = (max(0, int(round(v))) for v in centre - half)
    x1, y1 = int(round(min(centre[0] + half, photo_shape[1]))), int(round(min(centre[1] + half, photo_shape[0])))
    return slice(y0, y1), slice(x0, x1)


class Emotion:
    """One input per face that the original BlazeFace finds (top score ≥ 0.5); the window is
    fixed by the original detector, so only the classifier's weights change. Compared: the top
    class, the probability of the original's top class, and ½‖p − p₀‖₁ (total variation)."""

    model_file = "emotion.json"
    columns = ("top class", "p(original's top class)", "output TV distance")

    def __init__(self, model, photos):
        self.model = model
        detector = blazeface.BlazeFace(tfjs_graph.GraphModel(os.path.join(os.path.dirname(model.path),
                                                                          blazeface.BlazeFace.model_file)), photos)
        self.faces = {}
        for name, raw in detector.outputs().items():
            score, box, _ = blazeface.top_detection(raw, photos[name].shape)
            if score >= 0.5:
                self.faces[name] = (photos[name], face_window(box, photos[name].shape))

    def inputs(self):
        return list(self.faces)

    def outputs(self, weights=None, shift=(0, 0)):
        """Class probabilities per face; shift moves the photo under the fixed window."""
        result = {}
        for name, (photo, (rows, cols)) in self.faces.items():
            crop = resize_bilinear(shifted(photo, *shift)[rows, cols], 64, 64) / 255.0
            grey = (crop * GREY).sum(axis=-1, keepdims=True)
            x = ((grey - 0.5) * 2)[None].astype(np.float32)
            result[name] = self.model.run({"input_1": x}, self.model.output_names(), weights)[0][0]
        return result

    def metrics(self, name, p, reference, shift=(0, 0)):
        top = int(np.argmax(reference))
        return LABELS[int(np.argmax(p))], float(p[top]), float(0.5 * np.abs(p - reference).sum())

    def describe(self, name, p):
        return ", ".join(f"{LABELS[i]} {p[i]:.3f}" for i in np.argsort(p)[::-1][:3])

    def save_figure(self, path, outputs):
        """What the classifier sees of the first face (its 64 × 64 grey input, 4× enlarged)."""
        from PIL import Image
        photo, (rows, cols) = next(iter(self.faces.values()))
        grey = (resize_bilinear(photo[rows, cols], 64, 64) * GREY).sum(axis=-1)
        Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).resize((256, 256), Image.NEAREST).save(path)
