#pragma once
// The threads of the caller's oneTBB arena kept together over a stretch of many small loops
// (the flips of one cut: a few microseconds of work each, thousands per second). A oneTBB
// parallel_for wakes and schedules a worker per call, which costs more than such a loop
// (docs/performance.md); during serve_during the arena's other threads instead spin on a shared
// ticket and take pieces of each loop as soon as it is posted, a handoff of a few cache lines.
//
// Each piece is one call of the loop's body on its own range, so which thread runs a piece
// changes only the speed, never the result.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace signcut {

class SpinTeam {
public:
    // Runs body() on this thread while the arena's other threads (if any) serve for_each_piece;
    // they stop when body returns. body must not wait on oneTBB work of its own (a waiting
    // thread may run a servant and spin in it).
    void serve_during(const std::function<void()>& body);

    // piece(p) for every p in [0, pieces) (at most 65535), taken by this thread and, during
    // serve_during, the serving threads; returns when all have run. Outside serve_during the
    // pieces go to a oneTBB parallel_for. Called from serve_during's thread only (a piece must
    // not post loops of its own).
    template <typename Piece>
    void for_each_piece(std::size_t pieces, const Piece& piece) {
        run_pieces(pieces, [](const void* body, std::size_t p) { (*static_cast<const Piece*>(body))(p); }, &piece);
    }

    // Whether other threads are serving now (loops too small for a oneTBB wake-up pay then).
    bool serving() const { return serving_; }
    // Threads that take pieces during serve_during: this one and the arena's others, at most
    // one per core.
    std::size_t threads() const;

private:
    // The ticket: the job's number (32 bits), its piece count and the next piece to take (16
    // bits each) in one word, so a thread claims a piece of the job it read the count of, never
    // one of a later job.
    static constexpr unsigned kPieceBits = 16, kJobShift = 2 * kPieceBits;
    static constexpr std::uint64_t kPieceMask = (std::uint64_t(1) << kPieceBits) - 1;
    // for_each_piece without a std::function (whose copy of a lambda may allocate) per loop.
    using PieceCall = void (*)(const void* body, std::size_t piece);
    void run_pieces(std::size_t pieces, PieceCall call, const void* body);
    void serve();                                 // a servant's loop, until stopping_
    bool run_one(std::uint64_t& ticket);          // claims and runs one piece of `ticket`'s job
    std::atomic<std::uint64_t> ticket_{0};
    std::atomic<std::size_t> done_{0};            // pieces of the current job finished
    std::atomic<bool> stopping_{false};
    PieceCall call_ = nullptr;  // the current job: call_(body_, piece)
    const void* body_ = nullptr;
    bool serving_ = false;
};

}  // namespace signcut
