#pragma once
// What a compression does to each tensor of a checkpoint, decided before any work: stored (in
// which shape, at which budget, by which methods) or kept as it is, and why; and which of the
// stored tensors this process computes (options.shard).

#include <string>
#include <vector>

#include "io/sharded_checkpoint.h"
#include "methods/method.h"
#include "model/model_compression.h"

namespace signcut {

// The shape a tensor is stored in: its axes of size 1 dropped (so a 1×1 convolution is a
// matrix and a (1, n) tensor a row), then flattened as `rule` says to a matrix (or, for
// FlattenRule::tensor, left at its order).
Shape planned_shape(const Shape& shape, FlattenRule rule);

// The methods a run tries on each tensor: the one asked for, or every storable one for "best".
// Throws std::invalid_argument for a name that is neither, listing the known ones.
std::vector<std::string> methods_to_try(const std::string& method);

// The registry's options for one tensor at `budget` bits per entry.
MethodOptions method_options(const ModelCompressionOptions& options, double budget);

// Every tensor's report as planned: kept (kept_because) or stored (decomposed, decomposed_shape,
// method, budget = options.bits_per_entry). A tensor no method can store at its budget is kept,
// and its report says why. Throws std::invalid_argument for a bad pattern or a tensor alone
// above the memory limit.
std::vector<TensorReport> plan_tensors(const ShardedCheckpoint& checkpoint, const ModelCompressionOptions& options);

// Keeps, with its reason, every stored tensor the methods cannot store at its (new) budget.
void keep_what_cannot_be_stored(std::vector<TensorReport>& reports, const ModelCompressionOptions& options);

// The stored tensors this run computes: all of them, or the share of options.shard (by their
// expected cost, entries × budget).
std::vector<std::size_t> share_of(const ShardedCheckpoint& checkpoint, const std::vector<TensorReport>& reports,
                                  const ModelCompressionOptions& options);

}  // namespace signcut
