"""compress_model and expand_model on a small generated checkpoint."""

import json
import struct

import numpy as np
import pytest

import signcut


def read_safetensors(path):
    """{name: float32 array} of a .safetensors file (BF16, F16 or F32 tensors)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = data[8 + length + begin:8 + length + end]
        if entry["dtype"] == "BF16":
            values = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            values = np.frombuffer(raw, {"F16": np.float16, "F32": np.float32}[entry["dtype"]]).astype(np.float32)
        tensors[name] = (entry["dtype"], values.reshape(entry["shape"]))
    return tensors


def test_compress_then_expand_gives_back_every_tensor(cli, tmp_path):
    checkpoint = tmp_path / "tiny.safetensors"
    cli("synthetic-checkpoint", checkpoint, "--layers", 1, "--hidden", 32, "--intermediate", 48)
    calls = []
    rows = signcut.compress_model(checkpoint, tmp_path / "tiny.scdz", bits_per_entry=6,
                                  exclude="k_proj", progress=lambda done, total: calls.append((done, total)))
    original = read_safetensors(checkpoint)
    assert sorted(r["name"] for r in rows) == sorted(original)
    decomposed = {r["name"]: r for r in rows if r["decomposed"]}
    assert decomposed and all(r["width"] > 0 and r["bits_per_entry"] <= 6 for r in decomposed.values())
    assert all("k_proj" not in name for name in decomposed)
    assert any(r["kept_because"] == "matched by the exclude pattern" for r in rows)
    assert all(done <= total for done, total in calls)

    signcut.expand_model(tmp_path / "tiny.scdz", tmp_path / "back.safetensors", dtype="f32")
    back = read_safetensors(tmp_path / "back.safetensors")
    assert sorted(back) == sorted(original)
    for name, (dtype, values) in original.items():
        out_dtype, out = back[name]
        assert out.shape == values.shape
        if name in decomposed:
            assert out_dtype == "F32"
            error = np.linalg.norm(values - out) / np.linalg.norm(values)
            assert abs(error - decomposed[name]["relative_error"]) < 1e-3
        else:
            assert out_dtype == dtype and np.array_equal(out, values)


def test_best_with_a_global_budget_names_each_tensors_method_and_budget(cli, tmp_path):
    checkpoint = tmp_path / "tiny.safetensors"
    cli("synthetic-checkpoint", checkpoint, "--layers", 1, "--hidden", 32, "--intermediate", 48)
    rows = signcut.compress_model(checkpoint, tmp_path / "tiny.scdz", bits_per_entry=2, method="best",
                                  allocate="global")
    stored = [r for r in rows if r["decomposed"]]
    entries = [int(np.prod(r["shape"])) for r in stored]
    total = sum(r["bits_per_entry"] * n for r, n in zip(stored, entries))
    assert 0.99 * 2 * sum(entries) <= total <= 2 * sum(entries)
    assert all(r["method"] in ("scd", "dbf", "kashin", "rtn", "rotq", "tcq", "bf16", "f16", "svd") for r in stored)
    assert all(r["budget"] > 0 and r["runner_up"] for r in stored if r["method"] != "bf16")
    signcut.expand_model(tmp_path / "tiny.scdz", tmp_path / "back.safetensors", dtype="f32")
    original, back = read_safetensors(checkpoint), read_safetensors(tmp_path / "back.safetensors")
    for r in stored:
        values, out = original[r["name"]][1], back[r["name"]][1]
        error = np.linalg.norm(values - out) / np.linalg.norm(values)
        assert abs(error - r["relative_error"]) <= 1e-4 * r["relative_error"] + 1e-7
    with pytest.raises(ValueError, match="allocate takes"):
        signcut.compress_model(checkpoint, tmp_path / "x.scdz", bits_per_entry=2, allocate="everywhere")


def test_fraction_of_bf16_is_sixteen_bits_times_the_fraction(cli, tmp_path):
    checkpoint = tmp_path / "tiny.safetensors"
    cli("synthetic-checkpoint", checkpoint, "--layers", 1, "--hidden", 32, "--intermediate", 48)
    by_bits = signcut.compress_model(checkpoint, tmp_path / "a.scdz", bits_per_entry=4)
    by_fraction = signcut.compress_model(checkpoint, tmp_path / "b.scdz", fraction_of_bf16=0.25)
    assert [r["width"] for r in by_bits] == [r["width"] for r in by_fraction]


def test_shares_computed_apart_assemble_the_single_run(cli, tmp_path):
    checkpoint = tmp_path / "model"
    cli("synthetic-checkpoint", checkpoint, "--layers", 2, "--hidden", 32, "--intermediate", 48,
        "--max-shard-size", "20KB")
    assert (checkpoint / "model.safetensors.index.json").exists()
    single = tmp_path / "single.scdz"
    signcut.compress_model(checkpoint, single, bits_per_entry=2)
    split = tmp_path / "split.scdz"
    shares = [signcut.compress_model(checkpoint, split, bits_per_entry=2, shard=f"{k}/2") for k in range(2)]
    assert not split.exists()  # a share assembles nothing
    computed = [row["name"] for rows in shares for row in rows if row["decomposed"]]
    assert len(computed) == len(set(computed)) > 0
    assert {row["shard"] for row in shares[0] if row["decomposed"]} == {"0/2"}
    signcut.compress_model(checkpoint, split, bits_per_entry=2)  # every part is there: assembles
    assert split.read_bytes() == single.read_bytes()
    folder = tmp_path / "expanded"
    signcut.expand_model(split, folder)
    assert (folder / "model.safetensors.index.json").exists()
    with pytest.raises(ValueError, match="K/N|shard"):
        signcut.compress_model(checkpoint, split, bits_per_entry=2, shard="2/2")
