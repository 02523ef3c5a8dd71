#include "scd/spin_team.h"

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace signcut {
namespace {

// Idle spins of a servant before it yields its core at every spin: long enough to bridge the
// serial work between two flips of a cut (a few microseconds), short enough that a loaded
// machine gets the core back.
constexpr unsigned kSpinsBeforeYield = 1024;

void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

}  // namespace

std::size_t SpinTeam::threads() const {
    // More spinning threads than cores would only take turns on them.
    return std::size_t(std::min(oneapi::tbb::this_task_arena::max_concurrency(), oneapi::tbb::info::default_concurrency()));
}

void SpinTeam::serve_during(const std::function<void()>& body) {
    const std::size_t others = threads() - 1;
    if (others == 0 || serving_) return body();
    stopping_.store(false, std::memory_order_relaxed);
    serving_ = true;
    oneapi::tbb::task_group servants;
    for (std::size_t s = 0; s < others; ++s) servants.run([this] { serve(); });
    struct StopServants {  // also when body throws
        SpinTeam& team;
        oneapi::tbb::task_group& servants;
        ~StopServants() {
            team.stopping_.store(true, std::memory_order_release);
            servants.wait();
            team.serving_ = false;
        }
    } stop{*this, servants};
    body();
}

bool SpinTeam::run_one(std::uint64_t& ticket) {
    const std::uint64_t pieces = (ticket >> kPieceBits) & kPieceMask, next = ticket & kPieceMask;
    if (next >= pieces) return false;
    // On failure the ticket is reloaded and the caller tries again.
    if (!ticket_.compare_exchange_weak(ticket, ticket + 1, std::memory_order_acq_rel, std::memory_order_acquire))
        return true;
    // The job cannot end before this piece is done, so its body stays valid until then.
    call_(body_, std::size_t(next));
    done_.fetch_add(1, std::memory_order_release);
    ticket = ticket_.load(std::memory_order_acquire);
    return true;
}

void SpinTeam::serve() {
    unsigned idle = 0;
    while (!stopping_.load(std::memory_order_acquire)) {
        std::uint64_t ticket = ticket_.load(std::memory_order_acquire);
        if (run_one(ticket)) {
            idle = 0;
            continue;
        }
        pause();
        if (++idle > kSpinsBeforeYield) std::this_thread::yield();
    }
}

void SpinTeam::run_pieces(std::size_t pieces, PieceCall call, const void* body) {
    if (pieces > kPieceMask) throw std::length_error("SpinTeam: more than 65535 pieces in one loop");
    if (!serving_) {
        if (pieces == 1) return call(body, 0);
        oneapi::tbb::parallel_for(std::size_t(0), pieces, [&](std::size_t p) { call(body, p); });
        return;
    }
    // Every piece of the last job is done (below), so no other thread reads the job or done_ now.
    call_ = call, body_ = body;
    done_.store(0, std::memory_order_relaxed);
    const std::uint64_t job = (ticket_.load(std::memory_order_relaxed) >> kJobShift) + 1;
    std::uint64_t ticket = job << kJobShift | std::uint64_t(pieces) << kPieceBits;
    ticket_.store(ticket, std::memory_order_release);
    while (run_one(ticket)) {
    }
    while (done_.load(std::memory_order_acquire) < pieces) pause();
}

}  // namespace signcut
