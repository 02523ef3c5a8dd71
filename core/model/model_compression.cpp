#include "model/model_compression.h"

#include <nlohmann/json.hpp>
#include <oneapi/tbb/parallel_for_each.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <regex>
#include <stdexcept>

#include "io/file_access.h"
#include "io/safetensors_file.h"
#include "io/scd_file.h"
#include "io/scdz_file.h"
#include "scd/decomposer.h"
#include "tensor/memory_guard.h"

namespace signcut {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

const char* flatten_name(FlattenRule rule) {
    switch (rule) {
        case FlattenRule::first: return "first";
        case FlattenRule::last: return "last";
        case FlattenRule::tensor: return "tensor";
    }
    return "?";
}

Shape decomposed_shape_of(const Shape& shape, FlattenRule rule) {
    if (shape.size() <= 2 || rule == FlattenRule::tensor) return shape;
    std::size_t rest = 1;
    if (rule == FlattenRule::first) {
        for (std::size_t i = 1; i < shape.size(); ++i) rest *= shape[i];
        return {shape.front(), rest};
    }
    for (std::size_t i = 0; i + 1 < shape.size(); ++i) rest *= shape[i];
    return {rest, shape.back()};
}

std::optional<std::regex> compile(const std::string& pattern, const char* option) {
    if (pattern.empty()) return std::nullopt;
    try {
        return std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
        throw std::invalid_argument(std::string(option) + " '" + pattern + "' is not a valid regular expression: " + error.what());
    }
}

// Admits tensors while the estimated memory of those in flight stays within the limit
// (one tensor alone is always admitted, after checking it fits at all).
class MemoryGate {
public:
    explicit MemoryGate(std::uint64_t limit) : limit_(limit) {}
    void acquire(std::uint64_t bytes) {
        std::unique_lock lock(mutex_);
        released_.wait(lock, [&] { return used_ == 0 || used_ + bytes <= limit_; });
        used_ += bytes;
    }
    void release(std::uint64_t bytes) {
        {
            std::lock_guard lock(mutex_);
            used_ -= bytes;
        }
        released_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable released_;
    std::uint64_t limit_, used_ = 0;
};

// The folder of finished tensors of a run, and the settings it belongs to.
struct PartsFolder {
    fs::path folder;
    fs::path scd(std::size_t index) const { return folder / (std::to_string(index) + ".scd"); }
    fs::path report(std::size_t index) const { return folder / (std::to_string(index) + ".json"); }
};

Json report_to_json(const TensorReport& r) {
    return {{"name", r.name},
            {"decomposed_shape", r.decomposed_shape},
            {"width", r.width},
            {"bits_per_entry", r.bits_per_entry},
            {"relative_error", r.relative_error},
            {"seconds", r.seconds},
            {"stored_bytes", r.stored_bytes}};
}

// A finished tensor of an earlier run: its report, if both files are there and readable.
std::optional<TensorReport> load_part(const PartsFolder& parts, std::size_t index, TensorReport report) {
    std::error_code error;
    if (!fs::exists(parts.report(index), error) || !fs::exists(parts.scd(index), error)) return std::nullopt;
    try {
        std::ifstream in(parts.report(index));
        const Json j = Json::parse(in);
        if (j.at("name") != report.name) return std::nullopt;
        report.decomposed_shape = j.at("decomposed_shape").get<Shape>();
        report.width = j.at("width").get<std::size_t>();
        report.bits_per_entry = j.at("bits_per_entry").get<double>();
        report.relative_error = j.at("relative_error").get<double>();
        report.seconds = j.at("seconds").get<double>();
        report.stored_bytes = j.at("stored_bytes").get<std::uint64_t>();
        if (fs::file_size(parts.scd(index)) != report.stored_bytes) return std::nullopt;
        report.resumed = true;
        return report;
    } catch (const std::exception&) {
        return std::nullopt;  // unreadable: computed again
    }
}

// Opens (or starts) the parts folder of `output`; refuses one left by a run with other
// settings or another input, which would mix results.
PartsFolder open_parts(const fs::path& input, const fs::path& output, const ModelCompressionOptions& options) {
    PartsFolder parts{fs::path(output.string() + ".parts")};
    std::error_code error;
    const Json job{{"input", fs::absolute(input).string()},
                   {"input_bytes", fs::file_size(input, error)},
                   {"input_modified", std::int64_t(fs::last_write_time(input, error).time_since_epoch().count())},
                   {"bits_per_entry", options.bits_per_entry},
                   {"include", options.include},
                   {"exclude", options.exclude},
                   {"flatten", flatten_name(options.flatten)},
                   {"seed", options.seed},
                   {"precision", int(options.precision)}};
    const fs::path job_file = parts.folder / "job.json";
    if (fs::exists(job_file, error)) {
        Json previous;
        try {
            std::ifstream in(job_file);
            previous = Json::parse(in);
        } catch (const std::exception&) {
        }
        if (previous != job)
            throw std::invalid_argument(parts.folder.string() + " holds an interrupted run with another input or other "
                                        "settings; delete that folder to start over");
        return parts;
    }
    fs::create_directories(parts.folder, error);
    if (error) throw FileError(parts.folder, "cannot create the folder for finished tensors: " + error.message());
    const std::string text = job.dump(1);
    write_file_atomically(job_file, std::vector<char>(text.begin(), text.end()));
    return parts;
}

// A tensor's line in the .scdz index (offset, length and checksum are the writer's), and back.
ScdzEntry index_entry(const TensorReport& r) {
    ScdzEntry e;
    e.name = r.name;
    e.dtype = r.dtype;
    e.shape = r.shape;
    e.decomposed = r.decomposed;
    e.decomposed_shape = r.decomposed_shape;
    e.width = r.width;
    e.bits_per_entry = r.bits_per_entry;
    e.relative_error = r.relative_error;
    e.seconds = r.seconds;
    return e;
}

TensorReport report_of(const ScdzEntry& e) {
    TensorReport r;
    r.name = e.name;
    r.dtype = e.dtype;
    r.shape = e.shape;
    r.decomposed = e.decomposed;
    r.decomposed_shape = e.decomposed_shape;
    r.width = e.width;
    r.bits_per_entry = e.bits_per_entry;
    r.relative_error = e.relative_error;
    r.seconds = e.seconds;
    r.stored_bytes = e.length;
    return r;
}

}  // namespace

std::uint64_t decomposition_memory_bytes(std::uint64_t elements, double bits_per_entry) {
    // f32 input + residual + its transpose (the matrix engine keeps both) + the cuts
    return 3 * 4 * elements + std::uint64_t(bits_per_entry * double(elements) / 8.0);
}

std::vector<TensorReport> compress_model(const fs::path& input, const fs::path& output,
                                         const ModelCompressionOptions& options,
                                         const std::function<void(const ModelProgress&)>& progress) {
    if (!(options.bits_per_entry > 0 && options.bits_per_entry <= 64))
        throw std::invalid_argument("bits per entry must be in (0, 64]");
    const std::optional<std::regex> include = compile(options.include, "--include");
    const std::optional<std::regex> exclude = compile(options.exclude, "--exclude");
    const SafetensorsReader reader(input);

    // What happens to each tensor.
    std::vector<TensorReport> reports;
    std::vector<std::size_t> to_decompose;
    for (const SafetensorsEntry& entry : reader.tensors()) {
        TensorReport r;
        r.name = entry.name;
        r.dtype = entry.dtype;
        r.shape = entry.shape;
        r.bits_per_entry = 8.0 * double(safetensors_dtype_bytes(entry.dtype));
        r.stored_bytes = entry.end - entry.begin;
        const Shape shape = decomposed_shape_of(entry.shape, options.flatten);
        if (!is_float_dtype(entry.dtype)) r.kept_because = "dtype " + entry.dtype;
        else if (entry.shape.size() < 2) r.kept_because = "order " + std::to_string(entry.shape.size());
        else if (entry.elements() == 0) r.kept_because = "empty";
        else if (include && !std::regex_search(entry.name, *include)) r.kept_because = "not matched by --include";
        else if (exclude && std::regex_search(entry.name, *exclude)) r.kept_because = "matched by --exclude";
        else if (width_for_bits_per_entry(shape, options.bits_per_entry, options.precision) == 0)
            r.kept_because = "one cut needs more than the budget";
        if (r.kept_because.empty()) {
            r.decomposed = true;
            r.decomposed_shape = shape;
            const std::uint64_t memory = decomposition_memory_bytes(entry.elements(), options.bits_per_entry);
            if (memory > std::min(options.memory_limit_bytes, memory_limit_bytes()))
                throw std::invalid_argument("tensor '" + entry.name + "' needs about " + std::to_string(memory >> 20) +
                                            " MiB to decompose, above the memory limit of " +
                                            std::to_string(std::min(options.memory_limit_bytes, memory_limit_bytes()) >> 20) +
                                            " MiB");
            to_decompose.push_back(reports.size());
        }
        reports.push_back(std::move(r));
    }

    const PartsFolder parts = open_parts(input, output, options);
    ModelProgress state;
    std::vector<std::size_t> pending;
    for (std::size_t index : to_decompose) {
        const SafetensorsEntry& entry = reader.tensors()[index];
        state.tensors_total += 1;
        state.bytes_total += entry.end - entry.begin;
        if (auto done = load_part(parts, index, reports[index])) {
            reports[index] = *done;
            state.tensors_done += 1;
            state.bytes_done += entry.end - entry.begin;
        } else {
            pending.push_back(index);
        }
    }
    // Largest first: the small ones fill the gaps at the end.
    std::stable_sort(pending.begin(), pending.end(), [&](std::size_t a, std::size_t b) {
        return reader.tensors()[a].elements() > reader.tensors()[b].elements();
    });
    std::mutex progress_mutex;
    const auto started = std::chrono::steady_clock::now();
    if (progress) progress(state);
    MemoryGate gate(std::min(options.memory_limit_bytes, memory_limit_bytes()));
    oneapi::tbb::parallel_for_each(pending.begin(), pending.end(), [&](std::size_t index) {
        const SafetensorsEntry& entry = reader.tensors()[index];
        TensorReport& report = reports[index];
        const std::uint64_t memory = decomposition_memory_bytes(entry.elements(), options.bits_per_entry);
        if (options.cancel && options.cancel->load()) throw CompressionCancelled();
        gate.acquire(memory);
        const auto begin = std::chrono::steady_clock::now();
        try {
            Tensor values = reader.to_tensor(entry).reshaped(report.decomposed_shape);
            DecomposeOptions decompose_options;
            decompose_options.stop.bits_per_entry = options.bits_per_entry;
            decompose_options.seed = options.seed;
            decompose_options.precision = options.precision;
            decompose_options.threads = options.threads;
            Decomposer decomposer(std::move(values), decompose_options);
            decomposer.run([&](const Decomposer&) {
                if (options.cancel && options.cancel->load()) decomposer.cancel();
            });
            if (decomposer.stop_reason() == StopReason::cancelled) throw CompressionCancelled();
            const Decomposition& d = decomposer.decomposition();
            report.width = d.width();
            report.bits_per_entry = d.bits_per_entry(d.width());
            report.relative_error = d.relative_error(d.width());
            report.stored_bytes = d.stored_bytes(d.width());
            report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
            write_scd(parts.scd(index), d);
            const std::string text = report_to_json(report).dump(1);
            write_file_atomically(parts.report(index), std::vector<char>(text.begin(), text.end()));  // marks it done
        } catch (...) {
            gate.release(memory);
            throw;
        }
        gate.release(memory);
        std::lock_guard lock(progress_mutex);
        state.tensors_done += 1;
        state.bytes_done += entry.end - entry.begin;
        state.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (progress) progress(state);
    });

    // Bundle, in the checkpoint's order; only now does the output appear.
    ScdzWriter writer(output);
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (reports[i].decomposed) writer.add(index_entry(reports[i]), read_file_bytes(parts.scd(i)));
        else writer.add(index_entry(reports[i]), reader.raw(reader.tensors()[i]));
    }
    writer.commit(reader.metadata());
    std::error_code error;
    fs::remove_all(parts.folder, error);  // a leftover folder is harmless: its job.json matches no new run
    return reports;
}

void expand_model(const fs::path& input, const fs::path& output, const std::string& dtype) {
    if (!dtype.empty() && !is_float_dtype(dtype)) throw std::invalid_argument("cannot expand to dtype " + dtype);
    const ScdzReader reader(input);
    std::vector<SafetensorsSpec> specs;
    for (const ScdzEntry& e : reader.entries())
        specs.push_back({e.name, e.decomposed && !dtype.empty() ? dtype : e.dtype, e.shape});
    SafetensorsWriter writer(output, specs, reader.metadata());
    for (const ScdzEntry& e : reader.entries()) {
        if (e.decomposed) writer.write_next(reader.tensor(e));
        else writer.write_next(reader.payload(e));
    }
    writer.commit();
}

std::vector<TensorReport> scdz_reports(const fs::path& path) { return scdz_reports(ScdzReader(path)); }

std::vector<TensorReport> scdz_reports(const ScdzReader& reader) {
    std::vector<TensorReport> reports;
    for (const ScdzEntry& e : reader.entries()) reports.push_back(report_of(e));
    return reports;
}

void write_report_csv(const fs::path& path, const std::vector<TensorReport>& reports) {
    const auto quoted = [](const std::string& text) {
        if (text.find_first_of(",\"\n") == std::string::npos) return text;
        std::string out = "\"";
        for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        return out + "\"";
    };
    std::string csv = "name,dtype,shape,kind,decomposed_shape,width,bits_per_entry,relative_error,seconds,stored_bytes\n";
    for (const TensorReport& r : reports) {
        csv += quoted(r.name) + "," + r.dtype + "," + shape_to_string(r.shape) + "," +
               (r.decomposed ? "scd" : "kept (" + r.kept_because + ")") + "," +
               (r.decomposed ? shape_to_string(r.decomposed_shape) : "") + "," + std::to_string(r.width) + "," +
               std::to_string(r.bits_per_entry) + "," + std::to_string(r.relative_error) + "," +
               std::to_string(r.seconds) + "," + std::to_string(r.stored_bytes) + "\n";
    }
    write_file_atomically(path, std::vector<char>(csv.begin(), csv.end()));
}

}  // namespace signcut
