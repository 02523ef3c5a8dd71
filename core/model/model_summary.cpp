#include "model/model_summary.h"

#include <algorithm>
#include <cstdio>

#include "io/safetensors_file.h"

namespace signcut {

ModelSummary summarize_model(const std::vector<TensorReport>& reports) {
    ModelSummary s;
    s.bin_edges = {0.0, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.10, 0.20};
    s.bin_counts.assign(s.bin_edges.size(), 0);
    std::vector<double> errors;
    double weighted_bits = 0.0, entries = 0.0;
    for (const TensorReport& r : reports) {
        std::uint64_t elements = 1;
        for (std::size_t n : r.shape) elements *= n;
        s.stored_bytes += r.stored_bytes;
        s.bf16_bytes += is_float_dtype(r.dtype) ? 2 * elements : elements * safetensors_dtype_bytes(r.dtype);
        if (!r.decomposed) {
            ++s.kept;
            continue;
        }
        ++s.decomposed;
        ++s.methods[r.method];
        errors.push_back(r.relative_error);
        weighted_bits += r.bits_per_entry * double(elements);
        entries += double(elements);
        const auto bin =
            std::upper_bound(s.bin_edges.begin(), s.bin_edges.end(), r.relative_error) - s.bin_edges.begin();
        ++s.bin_counts[std::size_t(std::max<std::ptrdiff_t>(bin - 1, 0))];
        s.worst.push_back(r);
    }
    std::sort(s.worst.begin(), s.worst.end(),
              [](const auto& a, const auto& b) { return a.relative_error > b.relative_error; });
    if (s.worst.size() > 10) s.worst.resize(10);
    if (!errors.empty()) {
        std::sort(errors.begin(), errors.end());
        s.median_error = errors[errors.size() / 2];
        s.max_error = errors.back();
        s.mean_bits_per_entry = weighted_bits / entries;
    }
    return s;
}

std::string summary_text(const ModelSummary& s) {
    std::string text;
    char line[512];
    std::snprintf(line, sizeof line, "tensors         %zu decomposed, %zu kept as they were\n", s.decomposed, s.kept);
    text += line;
    std::snprintf(line, sizeof line, "size            %.1f MB stored, bf16 copy %.1f MB (%.1f%% of bf16)\n",
                  double(s.stored_bytes) * 1e-6, double(s.bf16_bytes) * 1e-6,
                  s.bf16_bytes ? 100.0 * double(s.stored_bytes) / double(s.bf16_bytes) : 0.0);
    text += line;
    if (s.decomposed == 0) return text;
    std::string methods;
    for (const auto& [method, count] : s.methods)
        methods += (methods.empty() ? "" : ", ") + method + " " + std::to_string(count);
    text += "methods         " + methods + "\n";
    std::snprintf(line, sizeof line,
                  "decomposed      %.3f bits per entry on average; relative error median %.4f, max %.4f\n",
                  s.mean_bits_per_entry, s.median_error, s.max_error);
    text += line;
    text += "relative error histogram\n";
    const std::size_t most = *std::max_element(s.bin_counts.begin(), s.bin_counts.end());
    for (std::size_t i = 0; i < s.bin_counts.size(); ++i) {
        char range[64];
        if (i + 1 < s.bin_edges.size())
            std::snprintf(range, sizeof range, "%5.1f%% – %5.1f%%", 100 * s.bin_edges[i], 100 * s.bin_edges[i + 1]);
        else std::snprintf(range, sizeof range, "%5.1f%% and up  ", 100 * s.bin_edges[i]);
        const std::size_t bar = most ? (s.bin_counts[i] * 40 + most - 1) / most : 0;
        std::snprintf(line, sizeof line, "  %s %6zu %s\n", range, s.bin_counts[i], std::string(bar, '#').c_str());
        text += line;
    }
    text += "worst tensors\n";
    for (const TensorReport& r : s.worst) {
        std::snprintf(line, sizeof line, "  %.4f  %s  %s, %s%s, %.3f bits per entry\n", r.relative_error,
                      r.name.c_str(), shape_to_string(r.shape).c_str(), r.method.c_str(),
                      r.method == "scd" ? (" w = " + std::to_string(r.width)).c_str() : "", r.bits_per_entry);
        text += line;
    }
    return text;
}

std::string tensor_table_text(const std::vector<TensorReport>& reports) {
    std::string text = "  method  budget  bits/e  error   tensor\n";
    char line[1024];
    for (const TensorReport& r : reports) {
        if (!r.decomposed) {
            std::snprintf(line, sizeof line, "  kept                          %s  %s%s\n", r.name.c_str(),
                          shape_to_string(r.shape).c_str(),
                          r.kept_because.empty() ? "" : (" (" + r.kept_because + ")").c_str());
            text += line;
            continue;
        }
        std::string notes;
        if (!r.runner_up.empty()) {
            char runner_up[96];
            std::snprintf(runner_up, sizeof runner_up, "; runner-up %s %.4f", r.runner_up.c_str(), r.runner_up_error);
            notes += runner_up;
        }
        if (r.entries_apart > 0) notes += "; " + std::to_string(r.entries_apart) + " entries apart";
        if (!r.fallback_because.empty()) notes += "; " + r.fallback_because;
        std::snprintf(line, sizeof line, "  %-6s  %6.2f  %6.3f  %.4f  %s  %s%s\n", r.method.c_str(), r.budget,
                      r.bits_per_entry, r.relative_error, r.name.c_str(), shape_to_string(r.decomposed_shape).c_str(),
                      notes.c_str());
        text += line;
    }
    return text;
}

}  // namespace signcut
