// Checkpoints: the .safetensors reader and writer (every dtype, odd names, each malformed
// header), the .scdz container, and compress → expand round trips with resume.
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>

#include <oneapi/tbb/task_arena.h>

#include "io/file_access.h"
#include "io/safetensors_file.h"
#include "io/scdz_file.h"
#include "model/model_compression.h"
#include "model/model_expansion.h"
#include "model/model_summary.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

using namespace signcut;
namespace fs = std::filesystem;

namespace {

struct TestTensor {
    std::string name, dtype;
    Shape shape;
};

// A small checkpoint with matrices in several dtypes, a norm, an integer tensor, a 4-D
// convolution weight and names with odd characters.
const std::vector<TestTensor> kCheckpoint = {
    {"model.layers.0.attn.q_proj.weight", "BF16", {48, 40}},
    {"model.layers.0.norm.weight", "F32", {40}},
    {"weird name, with \"quotes\" / ünïcode", "F16", {32, 24}},
    {"model.layers.1.mlp.up_proj.weight", "F32", {64, 40}},
    {"position_ids", "I64", {1, 16}},
    {"conv.weight", "F64", {16, 8, 3, 3}},
};

std::vector<char> integer_bytes(std::size_t count) {
    std::vector<char> bytes(count * 8, 0);
    for (std::size_t i = 0; i < count; ++i) bytes[i * 8] = char(i);
    return bytes;
}

void write_checkpoint(const fs::path& path, const std::vector<TestTensor>& tensors = kCheckpoint) {
    std::vector<SafetensorsSpec> specs;
    for (const TestTensor& t : tensors) specs.push_back({t.name, t.dtype, t.shape});
    SafetensorsWriter writer(path, specs, {{"format", "pt"}, {"note", "made by test_model"}});
    std::uint64_t seed = 1;
    for (const TestTensor& t : tensors) {
        if (t.dtype == "I64") writer.write_next(integer_bytes(element_count(t.shape)));
        else writer.write_next(gaussian_tensor(t.shape, seed++));
    }
    writer.commit();
}

void write_bytes(const fs::path& path, const std::vector<char>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

// A raw safetensors file from a header text and a data size.
void write_raw_safetensors(const fs::path& path, const std::string& header, std::size_t data_bytes,
                           std::uint64_t header_length = std::uint64_t(-1)) {
    std::vector<char> bytes(8);
    const std::uint64_t n = header_length == std::uint64_t(-1) ? header.size() : header_length;
    for (int i = 0; i < 8; ++i) bytes[std::size_t(i)] = char((n >> (8 * i)) & 0xFF);
    bytes.insert(bytes.end(), header.begin(), header.end());
    bytes.resize(bytes.size() + data_bytes, 0);
    write_bytes(path, bytes);
}

}  // namespace

class ModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void safetensorsRoundTripKeepsEveryDtypeAndName() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath("m.safetensors").toStdString();
        write_checkpoint(path);
        const SafetensorsReader reader(path);
        QCOMPARE(reader.tensors().size(), kCheckpoint.size());
        QCOMPARE(reader.metadata().at("note"), std::string("made by test_model"));
        std::uint64_t seed = 1;
        for (const TestTensor& t : kCheckpoint) {
            const auto found = std::find_if(reader.tensors().begin(), reader.tensors().end(),
                                            [&](const SafetensorsEntry& e) { return e.name == t.name; });
            QVERIFY2(found != reader.tensors().end(), t.name.c_str());
            QCOMPARE(found->dtype, t.dtype);
            QCOMPARE(found->shape, t.shape);
            if (t.dtype == "I64") {
                const auto raw = reader.raw(*found);
                QCOMPARE(std::vector<char>(raw.begin(), raw.end()), integer_bytes(element_count(t.shape)));
                QVERIFY_THROWS_EXCEPTION(FileError, reader.to_tensor(*found));
                continue;
            }
            const Tensor expected = gaussian_tensor(t.shape, seed++);
            const Tensor values = reader.to_tensor(*found);
            // Exact after rounding to the stored dtype.
            const double tolerance = t.dtype == "BF16" ? 1.0 / 128 : t.dtype == "F16" ? 1.0 / 1024 : 1e-7;
            for (std::size_t i = 0; i < values.size(); ++i)
                QVERIFY(std::abs(values[i] - expected[i]) <= tolerance * std::max(1.0f, std::abs(expected[i])));
        }
    }

    void malformedSafetensorsGiveOneClearError() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath("bad.safetensors").toStdString();
        const std::string good = R"({"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
        struct Case {
            const char* what;
            std::string header;
            std::size_t data;
            std::uint64_t length = std::uint64_t(-1);
        };
        const std::vector<Case> cases = {
            {"header length past the end", good, 16, 1000},
            {"header length above 100 MB", good, 16, std::uint64_t(1) << 40},
            {"not JSON", "{\"a\": [1, 2", 16},
            {"not an object", "[1, 2, 3]", 16},
            {"no dtype", R"({"a":{"shape":[2,2],"data_offsets":[0,16]}})", 16},
            {"unknown dtype", R"({"a":{"dtype":"F12","shape":[2,2],"data_offsets":[0,16]}})", 16},
            {"negative dimension", R"({"a":{"dtype":"F32","shape":[-2,2],"data_offsets":[0,16]}})", 16},
            {"size not shape x dtype", R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}})", 16},
            {"offsets reversed", R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[16,0]}})", 16},
            {"overlap",
             R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
             16},
            {"hole", R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", 16},
            {"truncated data", good, 12},
            {"bytes after the data", good, 20},
            {"metadata not strings",
             R"({"__metadata__":{"a":1},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})", 16},
            {"shape overflows", R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,16]}})",
             16},
        };
        for (const Case& c : cases) {
            write_raw_safetensors(path, c.header, c.data, c.length);
            try {
                SafetensorsReader reader(path);
                QFAIL(c.what);
            } catch (const FileError& error) {
                QVERIFY2(std::string(error.what()).find("bad.safetensors") != std::string::npos, c.what);
            }
        }
        write_bytes(path, {'a', 'b', 'c'});
        QVERIFY_THROWS_EXCEPTION(FileError, SafetensorsReader{path});
        write_raw_safetensors(path, good, 16);
        QCOMPARE(SafetensorsReader(path).tensors().size(), std::size_t(1));  // the good one reads
    }

    void compressThenExpandKeepsNamesAndReportsTheTrueErrors() {
        QTemporaryDir dir;
        const fs::path in = dir.filePath("m.safetensors").toStdString();
        const fs::path out = dir.filePath("m.scdz").toStdString();
        const fs::path expanded = dir.filePath("x.safetensors").toStdString();
        write_checkpoint(in);
        ModelCompressionOptions options;
        options.bits_per_entry = 8;
        const std::vector<TensorReport> reports = compress_model(in, out, options);
        QVERIFY(fs::exists(out));
        QVERIFY(!fs::exists(out.string() + ".parts"));
        std::size_t decomposed = 0;
        for (const TensorReport& r : reports) {
            decomposed += r.decomposed;
            if (r.decomposed) QVERIFY(r.bits_per_entry <= 8.0);
        }
        QCOMPARE(decomposed, std::size_t(4));  // the three matrices and the 4-D weight, not the norm or I64
        const auto conv = std::find_if(reports.begin(), reports.end(), [](auto& r) { return r.name == "conv.weight"; });
        QCOMPARE(conv->decomposed_shape, (Shape{16, 72}));

        expand_model(out, expanded, "F32");
        const SafetensorsReader source(in), result(expanded);
        QCOMPARE(result.metadata(), source.metadata());
        for (const TensorReport& r : reports) {
            const auto find = [&](const SafetensorsReader& reader) {
                return *std::find_if(reader.tensors().begin(), reader.tensors().end(),
                                     [&](auto& e) { return e.name == r.name; });
            };
            const SafetensorsEntry a = find(source), b = find(result);
            QCOMPARE(b.shape, a.shape);
            if (!r.decomposed) {
                QCOMPARE(b.dtype, a.dtype);
                const auto x = source.raw(a), y = result.raw(b);
                QVERIFY(std::equal(x.begin(), x.end(), y.begin(), y.end()));
                continue;
            }
            QCOMPARE(b.dtype, std::string("F32"));
            const double measured = relative_error(source.to_tensor(a), result.to_tensor(b));
            QVERIFY2(std::abs(measured - r.relative_error) <= 1e-4 * r.relative_error + 1e-6, r.name.c_str());
            QVERIFY2(measured < 0.2, qPrintable(QString("%1: %2").arg(r.name.c_str()).arg(measured)));
        }
        // The report's summary: four decomposed, two kept, smaller than bf16.
        const ModelSummary summary = summarize_model(scdz_reports(out));
        QCOMPARE(summary.decomposed, std::size_t(4));
        QCOMPARE(summary.kept, std::size_t(2));
        QVERIFY(summary.stored_bytes < summary.bf16_bytes);
        QCOMPARE(summary.worst.front().relative_error, summary.max_error);
    }

    void includeAndExcludeChooseTheTensors() {
        QTemporaryDir dir;
        const fs::path in = dir.filePath("m.safetensors").toStdString();
        write_checkpoint(in);
        ModelCompressionOptions options;
        options.include = std::string("layers\\.");
        options.exclude = std::string("up_proj");
        const auto reports = compress_model(in, dir.filePath("m.scdz").toStdString(), options);
        for (const TensorReport& r : reports) QCOMPARE(r.decomposed, r.name == "model.layers.0.attn.q_proj.weight");
        options.include = std::string("(");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 compress_model(in, dir.filePath("n.scdz").toStdString(), options));
    }

    void anInterruptedRunResumesWithoutRedoingFinishedTensors() {
        QTemporaryDir dir;
        const fs::path in = dir.filePath("m.safetensors").toStdString();
        const fs::path out = dir.filePath("m.scdz").toStdString();
        write_checkpoint(in);
        ModelCompressionOptions options;
        options.bits_per_entry = 4;
        // Stopped after two tensors. oneTBB does not stop bodies already running, so with one
        // worker per tensor all four could finish before the flag is seen; an arena of one
        // thread runs the tensors one after the other, and the third sees the flag before it
        // starts, whatever the machine's core count.
        std::atomic<bool> cancel{false};
        ModelCompressionOptions interrupted = options;
        interrupted.cancel = &cancel;
        oneapi::tbb::task_arena one_thread(1);
        bool cancelled = false;
        one_thread.execute([&] {
            try {
                compress_model(in, out, interrupted, [&](const ModelProgress& p) {
                    if (p.tensors_done >= 2) cancel = true;
                });
            } catch (const CompressionCancelled&) {
                cancelled = true;
            }
        });
        QVERIFY(cancelled);
        QVERIFY(!fs::exists(out));  // no half-written output that looks complete
        QVERIFY(fs::exists(out.string() + ".parts/job.json"));
        // Each finished tensor has its report, and only those.
        std::size_t finished = 0;
        for (const auto& file : fs::directory_iterator(out.string() + ".parts"))
            finished += file.path().extension() == ".json" && file.path().filename() != "job.json";
        QCOMPARE(finished, std::size_t(2));

        // Other settings must not mix with the parts of this run.
        ModelCompressionOptions other = options;
        other.bits_per_entry = 6;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, compress_model(in, out, other));

        const auto resumed = compress_model(in, out, options);
        std::size_t reused = 0;
        for (const TensorReport& r : resumed) reused += r.resumed;
        QCOMPARE(reused, finished);
        // Same cuts as an uninterrupted run.
        const fs::path fresh = dir.filePath("fresh.scdz").toStdString();
        compress_model(in, fresh, options);
        const ScdzReader a(out), b(fresh);
        QCOMPARE(a.entries().size(), b.entries().size());
        for (std::size_t i = 0; i < a.entries().size(); ++i) {
            QCOMPARE(a.entries()[i].name, b.entries()[i].name);
            QCOMPARE(a.entries()[i].crc32, b.entries()[i].crc32);
        }
    }

    // Cancelled from the progress call of the first finished tensor, whatever the machine's
    // speed: in an arena of 2 threads each thread finishes at most one tensor before a progress
    // call, so of 3 tensors one is still running or waiting then. The large one goes first
    // (largest first) and is normally the one stopped mid-decomposition.
    void cancelStopsRunningDecompositionsAndWritesNoOutput() {
        QTemporaryDir dir;
        const fs::path in = dir.filePath("big.safetensors").toStdString();
        const fs::path out = dir.filePath("big.scdz").toStdString();
        write_checkpoint(in, {{"big.weight", "F32", {256, 256}},
                              {"small.weight", "F32", {32, 24}},
                              {"other.weight", "F32", {24, 32}}});
        std::atomic<bool> cancel{false};
        ModelCompressionOptions options;
        options.bits_per_entry = 16;
        options.cancel = &cancel;
        std::chrono::steady_clock::time_point asked;
        const auto cancel_after_one = [&](const ModelProgress& p) {
            if (p.tensors_done >= 1 && !cancel) {
                asked = std::chrono::steady_clock::now();
                cancel = true;
            }
        };
        oneapi::tbb::task_arena two_threads(2);
        QVERIFY_THROWS_EXCEPTION(CompressionCancelled,
                                 two_threads.execute([&] { compress_model(in, out, options, cancel_after_one); }));
        const auto stopped = std::chrono::steady_clock::now();
        QVERIFY(cancel);
        const double bound = 0.5 * testing::time_scale();
        QVERIFY(std::chrono::duration<double>(stopped - asked).count() < bound);
        QVERIFY(!fs::exists(out));
    }

    void enumNamesRoundTrip() {
        for (FlattenRule rule : {FlattenRule::first, FlattenRule::last, FlattenRule::tensor})
            QVERIFY(parse_enum<FlattenRule>(to_string(rule)) == rule);
        for (CoeffPrecision p : {CoeffPrecision::f32, CoeffPrecision::f16, CoeffPrecision::bf16})
            QVERIFY(parse_enum<CoeffPrecision>(precision_name(p)) == p);
        QVERIFY(!parse_enum<FlattenRule>("middle"));
        QCOMPARE(enum_choices<FlattenRule>(), std::string("first, last or tensor"));
        QCOMPARE(enum_choices<CoeffPrecision>(), std::string("f32, f16 or bf16"));
        QCOMPARE(expansion_dtype("bf16"), std::string("BF16"));
        QCOMPARE(expansion_dtype(""), std::string());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, expansion_dtype("F64"));
    }

    void aTensorAboveTheMemoryLimitIsRefusedUpFront() {
        QTemporaryDir dir;
        const fs::path in = dir.filePath("m.safetensors").toStdString();
        write_checkpoint(in, {{"big", "F32", {300, 200}}});
        ModelCompressionOptions options;
        options.memory_limit_bytes = 100'000;
        try {
            compress_model(in, dir.filePath("m.scdz").toStdString(), options);
            QFAIL("not refused");
        } catch (const std::invalid_argument& error) {
            QVERIFY(std::string(error.what()).find("memory limit") != std::string::npos);
        }
        QVERIFY(!fs::exists(dir.filePath("m.scdz.parts").toStdString()));
    }

    void corruptScdzFilesAreRejected() {
        QTemporaryDir dir;
        const fs::path in = dir.filePath("m.safetensors").toStdString();
        const fs::path out = dir.filePath("m.scdz").toStdString();
        write_checkpoint(in);
        compress_model(in, out, {});
        const std::vector<char> good = read_file_bytes(out);
        const fs::path bad = dir.filePath("bad.scdz").toStdString();
        // Every truncation fails cleanly when opened.
        for (std::size_t size = 0; size < good.size(); size += std::max<std::size_t>(1, good.size() / 97)) {
            write_bytes(bad, std::vector<char>(good.begin(), good.begin() + std::ptrdiff_t(size)));
            QVERIFY_THROWS_EXCEPTION(FileError, ScdzReader{bad});
        }
        // A flipped byte in a payload is caught by its checksum when it is read.
        std::vector<char> flipped = good;
        flipped[40] = char(flipped[40] ^ 0x10);
        write_bytes(bad, flipped);
        const ScdzReader reader(bad);
        bool caught = false;
        for (const ScdzEntry& e : reader.entries()) {
            try {
                reader.payload(e);
            } catch (const FileError&) {
                caught = true;
            }
        }
        QVERIFY(caught);
        // A flipped byte in the index is caught when the file is opened.
        flipped = good;
        flipped[good.size() - 40] = char(flipped[good.size() - 40] ^ 0x01);
        write_bytes(bad, flipped);
        QVERIFY_THROWS_EXCEPTION(FileError, ScdzReader{bad});
    }
};

QTEST_MAIN(ModelTest)
#include "test_model.moc"
