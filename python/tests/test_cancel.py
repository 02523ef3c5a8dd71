"""Ctrl-C (SIGINT) stops a running call within 0.5 s and leaves no output file."""

import os
import signal
import threading
import time

import numpy as np
import pytest

import signcut

LATENCY = 0.5  # seconds from the signal to KeyboardInterrupt


def interrupt_after(seconds):
    """Sends SIGINT to this process after `seconds`; returns a list that receives the time it was sent."""
    sent = []

    def fire():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    threading.Timer(seconds, fire).start()
    return sent


def test_ctrl_c_stops_a_long_decomposition():
    a = np.random.default_rng(8).standard_normal((1500, 1500)).astype(np.float32)
    sent = interrupt_after(0.4)
    with pytest.raises(KeyboardInterrupt):
        signcut.decompose(a, width=200_000, progress=lambda w, e: None)
    assert sent, "the decomposition ended before the signal"
    assert time.monotonic() - sent[0] < LATENCY


def test_ctrl_c_stops_compress_model_and_writes_no_output(cli, tmp_path):
    checkpoint = tmp_path / "model.safetensors"
    cli("synthetic-checkpoint", checkpoint, "--layers", 1)
    out = tmp_path / "model.scdz"
    sent = interrupt_after(0.6)
    with pytest.raises(KeyboardInterrupt):
        signcut.compress_model(checkpoint, out, bits_per_entry=16)
    assert sent, "the compression ended before the signal"
    assert time.monotonic() - sent[0] < LATENCY
    assert not out.exists()
    # Only the checkpoint and the folder of finished tensors (for resuming) remain.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.safetensors", "model.scdz.parts"]
