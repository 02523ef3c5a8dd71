#pragma once
// What a compressed checkpoint looks like as a whole: how many tensors were decomposed (by
// which methods), the histogram of their relative errors, the worst ten, and the total size
// against bf16.

#include <map>
#include <string>
#include <vector>

#include "model/model_compression.h"

namespace signcut {

struct ModelSummary {
    std::size_t decomposed = 0, kept = 0;
    std::map<std::string, std::size_t> methods;  // decomposed tensors per method ("scd": 12)
    std::uint64_t stored_bytes = 0;              // every tensor as stored (cuts, or the kept bytes)
    std::uint64_t bf16_bytes = 0;                // the same checkpoint with every float tensor in bf16
    std::vector<double> bin_edges;               // relative error bins [edge_i, edge_{i+1}); the last is open
    std::vector<std::size_t> bin_counts;
    std::vector<TensorReport> worst;  // up to ten decomposed tensors, largest error first
    double median_error = 0.0, max_error = 0.0;
    double mean_bits_per_entry = 0.0;  // of the decomposed tensors, weighted by entries
};

ModelSummary summarize_model(const std::vector<TensorReport>& reports);

// A few lines of plain text: counts, sizes, the histogram as bars, the worst ten.
std::string summary_text(const ModelSummary& summary);

// One line per tensor: its method, budget, bits per entry, error, name and stored shape (and
// the runner-up, entries kept apart, why it fell back), or why it was kept.
std::string tensor_table_text(const std::vector<TensorReport>& reports);

}  // namespace signcut
