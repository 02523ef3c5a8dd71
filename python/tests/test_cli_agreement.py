"""The module and signcut-cli give the same decompositions, bit for bit."""

import json

import numpy as np
import pytest

import signcut


def read_curve(path):
    lines = path.read_text().splitlines()[1:]
    return [line.split(",")[3] for line in lines]


def test_decomposition_of_an_npy_file_matches_the_cli_byte_for_byte(cli, tmp_path):
    npy = tmp_path / "g.npy"
    cli("gaussian", "64x48", "--out", npy, "--seed", "3")
    stats = json.loads(cli("decompose", npy, "--width", 50, "--seed", 5, "--out", tmp_path / "cli.scd",
                           "--curve", tmp_path / "cli.csv", "--json"))

    d = signcut.decompose(np.load(npy), width=50, seed=5)
    d.save(tmp_path / "py.scd")

    assert d.width == stats["width"] == 50
    assert d.nbytes == stats["bytes"]
    assert (tmp_path / "py.scd").read_bytes() == (tmp_path / "cli.scd").read_bytes()
    # The curve file prints each error with %.9g: the same doubles print the same text.
    assert [f"{e:.9g}" for e in d.relative_errors] == read_curve(tmp_path / "cli.csv")


def test_low_memory_gives_the_cuts_of_the_fast_engine(cli, tmp_path):
    npy = tmp_path / "g.npy"
    cli("gaussian", "70x300", "--out", npy, "--seed", "2")
    cli("decompose", npy, "--width", 40, "--memory", "fast", "--out", tmp_path / "cli.scd")
    d = signcut.decompose(np.load(npy), width=40, memory="low")
    d.save(tmp_path / "py.scd")
    assert (tmp_path / "py.scd").read_bytes() == (tmp_path / "cli.scd").read_bytes()
    with pytest.raises(ValueError, match="memory takes auto, fast or low"):
        signcut.decompose(np.load(npy), width=1, memory="small")


def test_the_cat_at_a_bit_budget_matches_the_cli(cli, cat_path, tmp_path):
    cli("decompose", cat_path, "--bits-per-entry", 0.5, "--precision", "bf16", "--out", tmp_path / "cli.scd")
    d = signcut.decompose(signcut.load_input(cat_path), bits_per_entry=0.5, precision="bf16")
    d.save(tmp_path / "py.scd")
    assert d.shape == (300, 451, 3)
    assert d.stop_reason == "bits_per_entry"
    assert (tmp_path / "py.scd").read_bytes() == (tmp_path / "cli.scd").read_bytes()


def test_converted_inputs_give_the_same_cuts_as_float32(cli, tmp_path):
    a = np.random.default_rng(1).standard_normal((30, 20, 4))
    np.save(tmp_path / "a.npy", a)  # float64, as the CLI reads it
    cli("decompose", tmp_path / "a.npy", "--width", 20, "--out", tmp_path / "cli.scd")
    for variant in (a, np.asfortranarray(a), a.astype(np.float32)):
        signcut.decompose(variant, width=20).save(tmp_path / "py.scd")
        assert (tmp_path / "py.scd").read_bytes() == (tmp_path / "cli.scd").read_bytes()


@pytest.mark.parametrize("options", [{}, {"curves": True, "outliers": 0, "tcq_state_bits": 10}])
def test_compare_rows_are_the_cli_json_rows(cli, tmp_path, options):
    a = np.random.default_rng(2).standard_normal((24, 32)).astype(np.float32)
    np.save(tmp_path / "a.npy", a)
    names = ["scd", "rtn", "svd", "tcq"]
    flags = ["--curves", "--outliers", "0", "--tcq-state-bits", "10"] if options else []
    expected = json.loads(
        cli("compare", tmp_path / "a.npy", "--bits", "2,4", "--methods", ",".join(names), "--json", *flags))
    rows = signcut.compare(a, bits=[2, 4], methods=names, **options)
    assert len(rows) == len(expected)
    assert ([r["point"] for r in rows].count("curve") > 0) == bool(options)
    assert list(rows[0]) == ["method", "budget", "point", "bits_per_entry", "relative_error",
                             "bits_above_iid_floor", "psnr_db", "ssim", "seconds"] + (["note"] if "note" in rows[0] else [])
    for row, want in zip(rows, expected):
        assert row.pop("seconds") >= 0 and want.pop("seconds") >= 0
        assert row == want
