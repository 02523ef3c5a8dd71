"""A TensorFlow.js graph model (model.json + .bin shards) loaded and run in plain numpy.

Only the ops of the networks checked here are implemented (BlazeFace: _FusedConv2D,
DepthwiseConv2dNative, AddV2, Relu, MaxPool, Pad, Reshape; the emotion classifier adds Mean and
Softmax); any other op is an error naming it.
TensorFlow's layouts throughout: activations NHWC, convolution kernels (kh, kw, in, out),
depthwise kernels (kh, kw, in, multiplier). Arithmetic in float32, as tfjs does.
"""

import base64
import json
import os

import numpy as np

MAX_MODEL_JSON_BYTES = 64 << 20
MAX_SHARD_BYTES = 1 << 30
WEIGHT_DTYPES = {"float32": np.float32, "int32": np.int32}
QUANTISED_DTYPES = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16}


class ModelError(Exception):
    pass


def _read_bounded(path, limit):
    size = os.path.getsize(path)
    if size > limit:
        raise ModelError(f"{path}: {size} bytes, more than the {limit} this reader accepts")
    with open(path, "rb") as f:
        return f.read()


def _dequantise(raw, weight):
    """tfjs quantisation: uint8/uint16 codes q stand for q·scale + min; float16 is a plain cast."""
    q = weight["quantization"]
    codes = np.frombuffer(raw, dtype=QUANTISED_DTYPES[q["dtype"]])
    if q["dtype"] == "float16":
        values = codes.astype(np.float32)
    else:
        values = codes.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
    return values.astype(WEIGHT_DTYPES[weight["dtype"]])


def _load_weights(manifest, folder):
    """Every weight of the manifest, dequantised, keyed by its name (= the graph's Const node)."""
    weights = {}
    for group in manifest:
        buffer = b"".join(_read_bounded(os.path.join(folder, p), MAX_SHARD_BYTES) for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w["dtype"] not in WEIGHT_DTYPES:
                raise ModelError(f"weight {w['name']}: dtype {w['dtype']} is not supported")
            q = w.get("quantization")
            if q and q.get("dtype") not in QUANTISED_DTYPES:
                raise ModelError(f"weight {w['name']}: quantisation {q.get('dtype')} is not supported")
            itemsize = np.dtype(QUANTISED_DTYPES[q["dtype"]] if q else WEIGHT_DTYPES[w["dtype"]]).itemsize
            count = int(np.prod(w["shape"], dtype=np.int64))
            end = offset + count * itemsize
            if end > len(buffer):
                raise ModelError(f"weight {w['name']}: needs bytes {offset}..{end}, shards hold {len(buffer)}")
            raw = buffer[offset:end]
            values = _dequantise(raw, w) if q else np.frombuffer(raw, dtype=WEIGHT_DTYPES[w["dtype"]])
            weights[w["name"]] = values.reshape(w["shape"]).copy()
            offset = end
        if offset != len(buffer):
            raise ModelError(f"shards {group['paths']}: {len(buffer)} bytes, the manifest describes {offset}")
    return weights


def _attr_text(node, key):
    return base64.b64decode(node["attr"][key]["s"]).decode()


def _attr_ints(node, key):
    return [int(i) for i in node["attr"][key]["list"]["i"]]


def _check_plain_nhwc(node):
    """Reject the attributes this interpreter does not implement rather than ignore them."""
    attr = node.get("attr", {})
    if "data_format" in attr and _attr_text(node, "data_format") != "NHWC":
        raise ModelError(f"{node['name']}: only NHWC is implemented")
    if "dilations" in attr and any(d != 1 for d in _attr_ints(node, "dilations")):
        raise ModelError(f"{node['name']}: dilated convolutions are not implemented")
    if _attr_text(node, "padding") not in ("SAME", "VALID"):
        raise ModelError(f"{node['name']}: padding {_attr_text(node, 'padding')} is not implemented")


def _pad_for_window(x, node, kh, kw, fill=0.0):
    """Pads H and W as TensorFlow does: SAME gives ceil(in/stride) outputs, the odd pixel after."""
    _, sh, sw, _ = _attr_ints(node, "strides")
    if _attr_text(node, "padding") == "VALID":
        return x, sh, sw
    pads = [(0, 0)]
    for size, k, s in ((x.shape[1], kh, sh), (x.shape[2], kw, sw)):
        total = max((-(-size // s) - 1) * s + k - size, 0)
        pads.append((total // 2, total - total // 2))
    pads.append((0, 0))
    return np.pad(x, pads, constant_values=fill), sh, sw


def _windows(x, kh, kw, sh, sw):
    """(N, H', W', C, kh, kw): every kh×kw window, stepped by the strides."""
    return np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]


def conv2d(x, kernel, node):
    _check_plain_nhwc(node)
    kh, kw = kernel.shape[:2]
    xp, sh, sw = _pad_for_window(x, node, kh, kw)
    # y[n,h,w,o] = Σ_{i,j,c} x[n, h·s+i, w·s+j, c] · K[i,j,c,o]
    return np.tensordot(_windows(xp, kh, kw, sh, sw), kernel, axes=([4, 5, 3], [0, 1, 2])).astype(np.float32)


def depthwise_conv2d(x, kernel, node):
    _check_plain_nhwc(node)
    kh, kw, channels, multiplier = kernel.shape
    xp, sh, sw = _pad_for_window(x, node, kh, kw)
    win = _windows(xp, kh, kw, sh, sw)
    # y[n,h,w,c·M+m] = Σ_{i,j} x[n, h·s+i, w·s+j, c] · K[i,j,c,m]
    y = np.einsum("nhwcij,ijcm->nhwcm", win, kernel, optimize=True)
    return y.reshape(*y.shape[:3], channels * multiplier).astype(np.float32)


def max_pool(x, node):
    _check_plain_nhwc(node)
    _, kh, kw, _ = _attr_ints(node, "ksize")
    xp, sh, sw = _pad_for_window(x, node, kh, kw, fill=-np.inf)
    return _windows(xp, kh, kw, sh, sw).max(axis=(4, 5))


def fused_conv2d(x, kernel, args, node):
    """_FusedConv2D: a convolution followed by the ops named in fused_ops (Grappler's fusion)."""
    y = conv2d(x, kernel, node)
    for op in [base64.b64decode(s).decode() for s in node["attr"]["fused_ops"]["list"].get("s", [])]:
        if op == "BiasAdd":
            y = y + args[0]
        elif op == "Relu":
            y = np.maximum(y, 0)
        elif op == "Relu6":
            y = np.clip(y, 0, 6)
        else:
            raise ModelError(f"{node['name']}: fused op {op} is not implemented")
    return y


def _evaluate(node, args):
    op = node["op"]
    if op == "Identity":
        return args[0]
    if op == "_FusedConv2D":
        return fused_conv2d(args[0], args[1], args[2:], node)
    if op == "Conv2D":
        return conv2d(args[0], args[1], node)
    if op == "DepthwiseConv2dNative":
        return depthwise_conv2d(args[0], args[1], node)
    if op in ("Add", "AddV2"):
        return args[0] + args[1]
    if op == "Relu":
        return np.maximum(args[0], 0)
    if op == "MaxPool":
        return max_pool(args[0], node)
    if op == "Pad":
        return np.pad(args[0], [tuple(p) for p in args[1]])
    if op == "Reshape":
        return args[0].reshape([int(d) for d in args[1]])
    if op == "Mean":
        keep = node.get("attr", {}).get("keep_dims", {}).get("b", False)
        return args[0].mean(axis=tuple(int(i) for i in np.ravel(args[1])), keepdims=keep)
    if op == "Softmax":
        e = np.exp(args[0] - args[0].max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ModelError(f"{node['name']}: op {op} is not implemented")


class GraphModel:
    """model.json with its shards; run() evaluates the graph with these or replacement weights."""

    def __init__(self, path):
        self.path = path
        self.spec = json.loads(_read_bounded(path, MAX_MODEL_JSON_BYTES))
        if self.spec.get("format") != "graph-model":
            raise ModelError(f"{path}: format {self.spec.get('format')!r}, not a tfjs graph-model")
        self.nodes = {n["name"]: n for n in self.spec["modelTopology"]["node"]}
        self.weights = _load_weights(self.spec["weightsManifest"], os.path.dirname(path))

    def output_names(self):
        """The signature's outputs ("Identity:0" → node "Identity"), in the file's order."""
        signature = self.spec.get("userDefinedMetadata", {}).get("signature")
        if not signature:
            raise ModelError(f"{self.path}: no signature naming the outputs")
        outputs = signature["outputs"]
        return [name.split(":")[0] for name in outputs]

    def weights_of_op(self, op):
        """The names of the weights that nodes of this op read (e.g. every depthwise kernel)."""
        return sorted({i for n in self.nodes.values() if n["op"] == op for i in self._inputs(n["name"])
                       if self.nodes[i]["op"] == "Const" and i in self.weights})

    def run(self, feeds, outputs, weights=None):
        """Evaluates the nodes named in outputs. feeds: Placeholder name → array. weights: Const
        name → array replacing the model's own (the float tensors a checkpoint round trip gives)."""
        values = dict(feeds)
        order, seen = [], set(values)
        stack = [(name, False) for name in outputs]
        while stack:  # depth-first post-order: every node after its inputs
            name, expanded = stack.pop()
            if expanded:
                order.append(name)
                continue
            if name in seen:
                continue
            seen.add(name)
            stack.append((name, True))
            stack.extend((i, False) for i in self._inputs(name) if i not in seen)
        for name in order:
            node = self.nodes[name]
            if node["op"] == "Const":
                source = weights if weights is not None and name in weights else self.weights
                if name not in source:
                    raise ModelError(f"constant {name} is in no weight file")
                values[name] = source[name]
            elif node["op"] == "Placeholder":
                raise ModelError(f"input {name} was not given")
            else:
                values[name] = _evaluate(node, [values[i] for i in self._inputs(name)])
        return [values[name] for name in outputs]

    def _inputs(self, name):
        if name not in self.nodes:
            raise ModelError(f"node {name} is not in the graph")
        inputs = []
        for i in self.nodes[name].get("input", []):
            if i.startswith("^"):
                continue  # a control dependency carries no value
            base, _, index = i.partition(":")
            if index not in ("", "0"):
                raise ModelError(f"{name}: input {i} (a second output) is not implemented")
            inputs.append(base)
        return inputs
