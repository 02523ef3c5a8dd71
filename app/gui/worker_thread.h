#pragma once
// A worker object on a thread of its own, the wiring the Explore and Compare tabs share: the
// worker is made here and moved to the thread, its results reach the GUI through queued
// connections, and it is deleted on its thread when the thread stops.

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <memory>

namespace signcut::gui {

template <typename Worker>
class WorkerThread {
public:
    WorkerThread() : worker_(new Worker) {
        worker_->moveToThread(&thread_);
        QObject::connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
        thread_.start();
    }
    // Waits for the job in progress: stop it first (the worker's own cancel or supersede).
    ~WorkerThread() {
        thread_.quit();
        thread_.wait();
    }
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    // The worker, for its thread-safe calls (cancel, supersede) only.
    Worker* operator->() const { return worker_; }

    // A signal of the worker delivered to `receiver` on the GUI thread.
    template <typename Signal, typename Receiver, typename Slot>
    void on(Signal signal, Receiver* receiver, Slot slot) {
        QObject::connect(worker_, signal, receiver, slot, Qt::QueuedConnection);
    }

    // Queues worker->run(job) on the worker's thread; jobs run one after the other.
    template <typename Job>
    void run(std::shared_ptr<const Job> job) {
        QMetaObject::invokeMethod(
            worker_, [worker = worker_, job] { worker->run(job); }, Qt::QueuedConnection);
    }

private:
    QThread thread_;
    Worker* worker_;
};

}  // namespace signcut::gui
