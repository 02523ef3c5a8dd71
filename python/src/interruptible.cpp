#include "interruptible.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace signcut::python {
namespace {

// How often the calling thread looks for signals: a tenth of the 0.5 s a Ctrl-C may take.
constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr auto kReportInterval = std::chrono::milliseconds(100);

}  // namespace

void run_interruptible(const std::function<void()>& work, const std::function<void()>& cancel,
                       const std::function<void()>& report) {
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::exception_ptr failure;
    std::thread worker([&] {
        try {
            work();
        } catch (...) {
            failure = std::current_exception();
        }
        std::lock_guard lock(mutex);
        done = true;
        finished.notify_all();
    });
    const auto join = [&] {
        py::gil_scoped_release release;
        worker.join();
    };

    auto last_report = std::chrono::steady_clock::now();
    for (;;) {
        {
            py::gil_scoped_release release;
            std::unique_lock lock(mutex);
            if (finished.wait_for(lock, kPoll, [&] { return done; })) break;
        }
        try {
            if (PyErr_CheckSignals() != 0) throw py::error_already_set();
            if (report && std::chrono::steady_clock::now() - last_report >= kReportInterval) {
                report();
                last_report = std::chrono::steady_clock::now();
            }
        } catch (...) {  // KeyboardInterrupt, or an exception from the progress callback
            cancel();
            join();
            throw;
        }
    }
    join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace signcut::python
