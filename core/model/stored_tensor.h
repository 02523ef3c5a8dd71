#pragma once
// One tensor of a checkpoint in its stored form, and back: the methods of the registry
// (methods/method.h) run on the tensor at its budget, the lowest error kept; and the
// reconstruction of any .scdz entry, whatever its version and method. The .scdz container
// (io/scdz_file.h) holds payloads as opaque bytes; this file joins them to their methods.

#include <optional>
#include <string>
#include <vector>

#include "io/scdz_file.h"
#include "methods/method.h"

namespace signcut {

struct StoredTensor {
    std::string method;
    Shape shape;  // as stored: the planned shape for signed cuts, a matrix for the others
    std::vector<char> payload;
    std::size_t width = 0, entries_apart = 0;
    double bits_per_entry = 0, relative_error = 0;
};

struct StoreOutcome {
    std::optional<StoredTensor> stored;  // the lowest error among the methods that met the budget
    std::string runner_up;               // the next lowest, when more than one met it
    double runner_up_error = 0;
    std::string why_not;  // when none met it: each method's reason
};

// The shape `method` stores a tensor of `planned` shape in: signed cuts (and 16-bit copies)
// take it as it is, the matrix methods n_0 × (the rest).
Shape stored_shape(const std::string& method, const Shape& planned);

// Whether "best" runs `method` on a matrix of `shape` at `budget`: all but dbf with more middle
// columns k than min(rows, cols), where its ADMM costs O(k³) a step (15 s on 256 × 128 at 8 bits
// per entry) for a factorisation wider than the matrix's rank.
bool worth_trying(const std::string& method, const Shape& shape, double budget);

// Runs each of `methods` (storable ones; for more than one, those worth_trying) on `values` (in
// the planned shape) at options.bits_per_entry. Ties keep the earlier method.
StoreOutcome store_tensor(const Tensor& values, const std::vector<std::string>& methods, const MethodOptions& options);

// Peak memory of store_tensor on a tensor of `planned` shape: its values, a method's working
// copies (the dense methods hold several double copies, signed cuts the decomposer's), the
// reconstruction and the payload.
std::uint64_t store_memory_bytes(const Shape& planned, const std::vector<std::string>& methods,
                                 const MethodOptions& options);

// Any entry as f32 in its source shape: a stored form decoded (versions 1–3), or the raw bytes
// converted. Throws FileError naming the tensor for anything malformed.
Tensor load_tensor(const ScdzReader& reader, const ScdzEntry& entry);

}  // namespace signcut
