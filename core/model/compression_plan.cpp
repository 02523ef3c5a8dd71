#include "model/compression_plan.h"

#include <algorithm>
#include <regex>
#include <stdexcept>

#include "model/stored_tensor.h"
#include "tensor/memory_guard.h"

namespace signcut {
namespace {

std::optional<std::regex> compile(const std::string& pattern, const char* option) {
    if (pattern.empty()) return std::nullopt;
    try {
        return std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
        throw std::invalid_argument(std::string("the ") + option + " pattern '" + pattern +
                                    "' is not a valid regular expression: " + error.what());
    }
}

// Why none of `methods` can store a tensor of `planned` shape at `budget` (empty: one can).
std::string why_unstorable(const Shape& planned, const std::vector<std::string>& methods,
                           const ModelCompressionOptions& options, double budget) {
    std::string why;
    for (const std::string& method : methods) {
        const Shape shape = stored_shape(method, planned);
        double needs = find_method(method).minimum_bits_per_entry(shape, method_options(options, budget));
        if (method == "scd") {
            if (width_for_bits_per_entry(shape, budget, options.precision) > 0) return {};
            needs = 8.0 * double(scd_file_bytes(shape, 1, options.precision)) / double(element_count(shape));
        } else if (needs <= budget) {
            return {};
        }
        why += (why.empty() ? "" : "; ") + method + " needs " + std::to_string(needs) + " bits per entry";
    }
    return why + ", above the budget of " + std::to_string(budget);
}

}  // namespace

Shape planned_shape(const Shape& shape, FlattenRule rule) {
    Shape kept;
    for (std::size_t n : shape)
        if (n != 1) kept.push_back(n);
    if (kept.size() <= 1) return {1, element_count(shape)};  // a row
    if (kept.size() == 2 || rule == FlattenRule::tensor) return kept;
    std::size_t rest = 1;
    if (rule == FlattenRule::first) {
        for (std::size_t i = 1; i < kept.size(); ++i) rest *= kept[i];
        return {kept.front(), rest};
    }
    for (std::size_t i = 0; i + 1 < kept.size(); ++i) rest *= kept[i];
    return {rest, kept.back()};
}

std::vector<std::string> methods_to_try(const std::string& method) {
    const std::vector<std::string> storable = storable_method_names();
    if (method == "best") return storable;
    if (std::find(storable.begin(), storable.end(), method) != storable.end()) return {method};
    const std::vector<std::string> known = method_names();
    if (std::find(known.begin(), known.end(), method) != known.end())
        throw std::invalid_argument("method " + method +
                                    " has no stored form (those with one: " + joined_names(storable) + ", or best)");
    throw std::invalid_argument("unknown method '" + method + "' (known: " + joined_names(storable) + ", or best)");
}

MethodOptions method_options(const ModelCompressionOptions& options, double budget) {
    MethodOptions o;
    o.bits_per_entry = budget;
    o.seed = options.seed;
    o.outliers = options.outliers;
    o.precision = options.precision;
    o.threads = options.threads;
    o.cancel = options.cancel;
    return o;
}

std::vector<TensorReport> plan_tensors(const ShardedCheckpoint& checkpoint, const ModelCompressionOptions& options) {
    const std::optional<std::regex> include = compile(options.include, "include");
    const std::optional<std::regex> exclude = compile(options.exclude, "exclude");
    const std::vector<std::string> methods = methods_to_try(options.method);
    const std::uint64_t memory_limit = std::min(options.memory_limit_bytes, memory_limit_bytes());
    std::vector<TensorReport> reports;
    for (const CheckpointTensor& tensor : checkpoint.tensors()) {
        const SafetensorsEntry& entry = tensor.entry;
        TensorReport r;
        r.name = entry.name;
        r.dtype = entry.dtype;
        r.shape = entry.shape;
        r.bits_per_entry = 8.0 * double(safetensors_dtype_bytes(entry.dtype));
        r.stored_bytes = entry.end - entry.begin;
        if (!is_float_dtype(entry.dtype)) r.kept_because = "dtype " + entry.dtype;
        else if (entry.shape.size() < 2) r.kept_because = "order " + std::to_string(entry.shape.size());
        else if (entry.elements() == 0) r.kept_because = "empty";
        else if (include && !std::regex_search(entry.name, *include))
            r.kept_because = "not matched by the include pattern";
        else if (exclude && std::regex_search(entry.name, *exclude)) r.kept_because = "matched by the exclude pattern";
        if (r.kept_because.empty()) {
            r.decomposed = true;
            r.method = options.method;
            r.decomposed_shape = planned_shape(entry.shape, options.flatten);
            r.budget = options.bits_per_entry;
            const std::uint64_t memory =
                store_memory_bytes(r.decomposed_shape, methods, method_options(options, options.bits_per_entry));
            if (memory > memory_limit)
                throw std::invalid_argument("tensor '" + entry.name + "' needs about " + std::to_string(memory >> 20) +
                                            " MiB to compress, above the memory limit of " +
                                            std::to_string(memory_limit >> 20) + " MiB");
        }
        reports.push_back(std::move(r));
    }
    if (options.allocate == BudgetAllocation::uniform) keep_what_cannot_be_stored(reports, options);
    return reports;
}

void keep_what_cannot_be_stored(std::vector<TensorReport>& reports, const ModelCompressionOptions& options) {
    const std::vector<std::string> methods = methods_to_try(options.method);
    for (TensorReport& r : reports) {
        if (!r.decomposed) continue;
        const std::string why = why_unstorable(r.decomposed_shape, methods, options, r.budget);
        if (why.empty()) continue;
        r.decomposed = false;
        r.kept_because = why;
    }
}

std::vector<std::size_t> share_of(const ShardedCheckpoint& checkpoint, const std::vector<TensorReport>& reports,
                                  const ModelCompressionOptions& options) {
    std::vector<std::size_t> stored;
    std::vector<double> costs;  // expected cost: entries × budget
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (!reports[i].decomposed) continue;
        stored.push_back(i);
        costs.push_back(double(checkpoint.tensors()[i].entry.elements()) * reports[i].budget);
    }
    if (!options.shard) return stored;
    const std::vector<std::size_t> shard_of = plan_shards(costs, options.shard->count);
    std::vector<std::size_t> share;
    for (std::size_t j = 0; j < stored.size(); ++j)
        if (shard_of[j] == options.shard->index) share.push_back(stored[j]);
    return share;
}

}  // namespace signcut
