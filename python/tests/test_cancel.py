"""Ctrl-C (SIGINT) stops a running call within 0.5 s and leaves no output file."""

import os
import signal
import threading
import time

import pytest

import signcut

LATENCY = 0.5  # seconds from the signal to KeyboardInterrupt (times SIGNCUT_TEST_TIME_SCALE)


def interrupt_on_first_progress():
    """A progress callback that has a thread send SIGINT to this process on its first call, when
    the work is known to be running, and the list that receives the time the signal was sent.
    The signal then arrives while the calling thread waits for the work, as a Ctrl-C would."""
    sent = []
    running = threading.Event()

    def fire():
        running.wait()
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=fire, daemon=True).start()
    return (lambda *_: running.set()), sent


def test_ctrl_c_stops_a_long_decomposition(endless, time_scale):
    a, width = endless
    progress, sent = interrupt_on_first_progress()
    with pytest.raises(KeyboardInterrupt):
        signcut.decompose(a, width=width, progress=progress)
    assert sent, "the decomposition ended before the signal"
    assert time.monotonic() - sent[0] < LATENCY * time_scale


def test_ctrl_c_stops_compress_model_and_writes_no_output(cli, tmp_path, time_scale):
    # 28 matrices of 512 × 512 or 512 × 1408 at 16 bits per entry: over 7·10¹⁰ residual updates,
    # far more than any machine does between the first progress call (100 ms in) and the
    # signal. Not larger: a decomposition cannot be stopped while its engine sets up (32 passes
    # over the matrix), which for a 1024 × 2816 one took longer than the bound on a loaded machine.
    checkpoint = tmp_path / "model.safetensors"
    cli("synthetic-checkpoint", checkpoint, "--layers", 4, "--hidden", 512, "--intermediate", 1408)
    out = tmp_path / "model.scdz"
    progress, sent = interrupt_on_first_progress()
    with pytest.raises(KeyboardInterrupt):
        signcut.compress_model(checkpoint, out, bits_per_entry=16, progress=progress)
    assert sent, "the compression ended before the signal"
    assert time.monotonic() - sent[0] < LATENCY * time_scale
    assert not out.exists()
    # Only the checkpoint and the folder of finished tensors (for resuming) remain.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.safetensors", "model.scdz.parts"]
