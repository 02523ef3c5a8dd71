#include "model/stored_tensor.h"

#include <algorithm>

#include "io/file_access.h"
#include "methods/double_binary.h"
#include "methods/rtn_payload.h"
#include "scd/decomposer.h"

namespace signcut {
namespace {

// Methods that store any order as it is.
bool takes_any_order(const std::string& method) { return method == "scd" || method == "bf16" || method == "f16"; }

}  // namespace

bool worth_trying(const std::string& method, const Shape& shape, double budget) {
    if (method != "dbf" || shape.size() != 2) return true;
    return dbf_middle_for_budget(shape[0], shape[1], budget) <= std::min(shape[0], shape[1]);
}

Shape stored_shape(const std::string& method, const Shape& planned) {
    if (planned.size() <= 2 || takes_any_order(method)) return planned;
    std::size_t rest = 1;
    for (std::size_t i = 1; i < planned.size(); ++i) rest *= planned[i];
    return {planned.front(), rest};
}

StoreOutcome store_tensor(const Tensor& values, const std::vector<std::string>& methods, const MethodOptions& options) {
    StoreOutcome out;
    for (const std::string& method : methods) {
        const Shape shape = stored_shape(method, values.shape());
        if (methods.size() > 1 && !worth_trying(method, shape, options.bits_per_entry)) continue;
        const Tensor input = shape == values.shape() ? values : Tensor(values).reshaped(shape);
        Approximation a = approximate(method, input, options);
        if (options.cancel && options.cancel->load()) return out;  // the caller throws
        if (!a.met_budget || a.payload.empty()) {
            out.why_not += (out.why_not.empty() ? "" : "; ") + method + ": " +
                           (a.met_budget ? std::string("no stored form for this shape") : a.note);
            continue;
        }
        StoredTensor stored{method,
                            shape,
                            std::move(a.payload),
                            a.width,
                            a.entries_apart,
                            double(a.bits) / double(input.size()),
                            relative_error(input, a.reconstruction)};
        if (!out.stored || stored.relative_error < out.stored->relative_error) {
            if (out.stored) out.runner_up = out.stored->method, out.runner_up_error = out.stored->relative_error;
            out.stored = std::move(stored);
        } else if (out.runner_up.empty() || stored.relative_error < out.runner_up_error) {
            out.runner_up = stored.method, out.runner_up_error = stored.relative_error;
        }
    }
    if (out.stored) out.why_not.clear();
    return out;
}

std::uint64_t store_memory_bytes(const Shape& planned, const std::vector<std::string>& methods,
                                 const MethodOptions& options) {
    const auto entries = std::uint64_t(element_count(planned));
    std::uint64_t working = 0;
    for (const std::string& method : methods) {
        if (method == "scd") {
            working = std::max(working, 4 * entries + decomposer_memory_bytes(planned, decompose_options(options)));
        } else {
            // The dense methods hold several double copies of the matrix; the row quantisers a
            // few f32 ones (rotated values, their stream, its decoding, the reconstruction).
            const bool dense = method == "dbf" || method == "kashin" || method == "svd";
            working = std::max(working, (dense ? 64 : 32) * entries);
        }
    }
    // The values as read and their copy in the stored shape, the reconstruction, the payload.
    return 4 * entries * 3 + working + std::uint64_t(options.bits_per_entry * double(entries) / 8) + 1;
}

Tensor load_tensor(const ScdzReader& reader, const ScdzEntry& entry) {
    if (!entry.decomposed) return reader.raw_tensor(entry);
    const Shape shape = entry.shape.empty() ? Shape{1} : entry.shape;
    if (entry.method == "scd" && reader.version() < 3) {  // an .scd file, as version 3 stores it too
        const Decomposition d = reader.decomposition(entry);
        return d.reconstruct(d.width()).reshaped(shape);
    }
    try {
        Tensor stored = reader.version() < 3 ? decode_rtn_payload(reader.payload(entry))  // version 2's rtn
                                             : load_stored_form(entry.method, reader.payload(entry),
                                                                entry.decomposed_shape, entry.entries_apart);
        if (stored.shape() != entry.decomposed_shape)
            throw std::invalid_argument("its payload's shape differs from the index");
        return std::move(stored).reshaped(shape);
    } catch (const std::invalid_argument& error) {
        throw FileError(reader.path(), "tensor '" + entry.name + "' (" + entry.method + "): " + error.what());
    }
}

}  // namespace signcut
