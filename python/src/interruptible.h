#pragma once
// Long core calls from Python: the GIL released while they run, Ctrl-C and progress served.

#include <pybind11/pybind11.h>

#include <functional>

namespace signcut::python {

namespace py = pybind11;

// Runs `work` on a worker thread with the GIL released. The calling thread (the one that
// holds the GIL, normally Python's main thread, where signal handlers run) wakes every
// kPollMs: it calls `report` (with the GIL) at most every 100 ms and runs Python's signal
// handlers (PyErr_CheckSignals). When they raise (KeyboardInterrupt from Ctrl-C) or `report`
// raises, it calls `cancel` (thread-safe, on the core's cancellation hook), waits for the
// worker and raises that Python exception. Otherwise an exception from `work` is rethrown
// here (pybind11 translates it). `work` must not touch Python objects.
void run_interruptible(const std::function<void()>& work, const std::function<void()>& cancel,
                       const std::function<void()>& report = {});

}  // namespace signcut::python
