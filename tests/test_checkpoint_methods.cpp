// A checkpoint stored by every method: the stored bits are the bits the method counts, the
// expanded tensors have the report's errors, --method best keeps the lowest, size-1 axes are
// dropped before a matrix is chosen, one global budget is shared out (and kept in job.json for
// shards and the merge), and malformed version 3 files give one clear error.
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <set>

#include "cli_process.h"
#include "scdz_by_hand.h"
#include "io/byte_codec.h"
#include "io/file_access.h"
#include "io/safetensors_file.h"
#include "io/scdz_file.h"
#include "methods/method.h"
#include "model/compression_plan.h"
#include "model/model_compression.h"
#include "model/model_expansion.h"
#include "model/stored_tensor.h"
#include "tensor/random_tensor.h"

using namespace signcut;
namespace fs = std::filesystem;

namespace {

// Tensors of very different sizes and shapes: a 1×1 convolution stored (1, 1, in, out), a
// narrow first convolution, a per-channel filter and two matrices, with rows of unequal scale.
const std::vector<SafetensorsSpec> kTensors = {
    {"conv1x1.weight", "F32", {1, 1, 48, 40}},  {"first_conv.weight", "F32", {3, 3, 3, 16}},
    {"depthwise.weight", "F32", {3, 3, 24, 1}}, {"mlp.weight", "F32", {96, 64}},
    {"head.weight", "F32", {12, 64}},           {"bias", "F32", {64}},
};

void write_checkpoint(const fs::path& path) {
    SafetensorsWriter writer(path, kTensors, {{"format", "pt"}});
    std::uint64_t seed = 3;
    for (const SafetensorsSpec& spec : kTensors) {
        Tensor t = gaussian_tensor(spec.shape, seed++);
        for (std::size_t i = 0; i < t.size(); ++i) t[i] *= 1.0f + float(i % 7);  // unequal scales
        writer.write_next(t);
    }
    writer.commit();
}

double squared_error_mean(const std::vector<TensorReport>& reports) {
    double sum = 0;
    std::size_t n = 0;
    for (const TensorReport& r : reports)
        if (r.decomposed) sum += r.relative_error * r.relative_error, ++n;
    return sum / double(n);
}

double stored_bits(const std::vector<TensorReport>& reports) {
    double bits = 0;
    for (const TensorReport& r : reports)
        if (r.decomposed) bits += r.bits_per_entry * double(element_count(r.shape));
    return bits;
}

}  // namespace

class CheckpointMethodsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sizeOneAxesAreDroppedBeforeTheMatrixIsChosen() {
        QCOMPARE(planned_shape({1, 1, 48, 40}, FlattenRule::first), (Shape{48, 40}));
        QCOMPARE(planned_shape({1, 1, 48, 40}, FlattenRule::tensor), (Shape{48, 40}));
        QCOMPARE(planned_shape({1, 1, 48, 40}, FlattenRule::last), (Shape{48, 40}));
        QCOMPARE(planned_shape({3, 3, 24, 1}, FlattenRule::first), (Shape{3, 72}));
        QCOMPARE(planned_shape({3, 3, 24, 1}, FlattenRule::tensor), (Shape{3, 3, 24}));
        QCOMPARE(planned_shape({1, 64}, FlattenRule::first), (Shape{1, 64}));
        QCOMPARE(planned_shape({1, 1, 1}, FlattenRule::first), (Shape{1, 1}));
        // The matrix methods take n_0 × (the rest) of an order-3 plan; signed cuts the tensor.
        QCOMPARE(stored_shape("tcq", {3, 3, 24}), (Shape{3, 72}));
        QCOMPARE(stored_shape("scd", {3, 3, 24}), (Shape{3, 3, 24}));
    }

    // For every storable method: the report's bits per entry are what approximate() counts for
    // that tensor, method and budget, and the expanded tensor's error is the report's.
    void everyMethodExpandsToTheReportedErrorAndItsCountedBits() {
        QTemporaryDir dir;
        const fs::path model = dir.filePath("model.safetensors").toStdString();
        write_checkpoint(model);
        const SafetensorsReader source(model);
        for (const std::string& method : storable_method_names()) {
            ModelCompressionOptions options;
            options.method = method;
            options.bits_per_entry = method == "bf16" || method == "f16" ? 16.0 : 3.0;
            const fs::path out = dir.filePath(QString::fromStdString(method) + ".scdz").toStdString();
            const std::vector<TensorReport> reports = compress_model(model, out, options);
            const fs::path expanded = dir.filePath(QString::fromStdString(method) + ".safetensors").toStdString();
            expand_model(out, expanded, "F32");
            const SafetensorsReader back(expanded);
            std::size_t stored = 0;
            for (std::size_t i = 0; i < reports.size(); ++i) {
                const TensorReport& r = reports[i];
                if (!r.decomposed) continue;
                ++stored;
                QCOMPARE(r.method, method);
                const Tensor a = source.to_tensor(source.tensors()[i]);
                const Tensor b = back.to_tensor(back.tensors()[i]);
                const QByteArray label = QByteArray::fromStdString(method + " " + r.name);
                QVERIFY2(std::abs(relative_error(a, b) - r.relative_error) <= 1e-4 * r.relative_error + 1e-7, label);
                QVERIFY2(r.bits_per_entry <= options.bits_per_entry, label);
                MethodOptions at;
                at.bits_per_entry = r.budget;
                const Approximation counted =
                    approximate(method, Tensor(a).reshaped(r.decomposed_shape), at);  // what compare counts
                QVERIFY2(r.bits_per_entry == double(counted.bits) / double(a.size()), label);
                QCOMPARE(r.stored_bytes, (counted.bits + 7) / 8);
            }
            QVERIFY2(stored >= 3, method.c_str());
        }
    }

    void bestKeepsTheLowestErrorAndNamesTheRunnerUp() {
        QTemporaryDir dir;
        const fs::path model = dir.filePath("model.safetensors").toStdString();
        write_checkpoint(model);
        ModelCompressionOptions options;
        options.method = "best";
        options.bits_per_entry = 2.0;
        const std::vector<TensorReport> best = compress_model(model, dir.filePath("best.scdz").toStdString(), options);
        for (const TensorReport& r : best) {
            if (!r.decomposed) continue;
            QVERIFY(!r.runner_up.empty());
            QVERIFY(r.runner_up_error >= r.relative_error);
            const SafetensorsReader source(model);
            Tensor values;
            for (const SafetensorsEntry& e : source.tensors())
                if (e.name == r.name) values = source.to_tensor(e).reshaped(r.decomposed_shape);
            for (const std::string& method : storable_method_names()) {
                MethodOptions at;
                at.bits_per_entry = 2.0;
                const Shape shape = stored_shape(method, values.shape());
                if (!worth_trying(method, shape, 2.0)) continue;
                const Approximation a = approximate(method, Tensor(values).reshaped(shape), at);
                if (a.met_budget)
                    QVERIFY(relative_error(Tensor(values).reshaped(shape), a.reconstruction) >= r.relative_error);
            }
        }
    }

    // One budget for the whole checkpoint: the total within [0.99 B, B], and the mean squared
    // relative error no worse than every tensor at B.
    void aGlobalBudgetIsSpentAndLowersTheMeanSquaredError() {
        QTemporaryDir dir;
        const fs::path model = dir.filePath("model.safetensors").toStdString();
        write_checkpoint(model);
        for (const char* method : {"scd", "rtn"}) {
            ModelCompressionOptions uniform;
            uniform.method = method;
            uniform.bits_per_entry = 2.0;
            ModelCompressionOptions global = uniform;
            global.allocate = BudgetAllocation::global;
            const auto u = compress_model(model, dir.filePath("u.scdz").toStdString(), uniform);
            const auto g = compress_model(model, dir.filePath("g.scdz").toStdString(), global);
            double entries = 0;
            for (const TensorReport& r : g)
                if (r.decomposed) entries += double(element_count(r.shape));
            QVERIFY(stored_bits(g) <= 2.0 * entries);
            QVERIFY(stored_bits(g) >= 0.99 * 2.0 * entries);
            QVERIFY(squared_error_mean(g) <= squared_error_mean(u));
            std::set<double> budgets;
            for (const TensorReport& r : g)
                if (r.decomposed) budgets.insert(r.budget);
            QVERIFY(budgets.size() > 1);  // shared out, not uniform
        }
    }

    // The plan is kept in job.json: two shards and the merge use it, and the merge is a single
    // run's bytes.
    void theGlobalPlanIsKeptForShardsAndTheMerge() {
        QTemporaryDir dir;
        const fs::path model = dir.filePath("model.safetensors").toStdString();
        write_checkpoint(model);
        ModelCompressionOptions options;
        options.bits_per_entry = 2.0;
        options.allocate = BudgetAllocation::global;
        const fs::path single = dir.filePath("single.scdz").toStdString(), out = dir.filePath("out.scdz").toStdString();
        compress_model(model, single, options);
        for (std::size_t k = 0; k < 2; ++k) {
            ModelCompressionOptions share = options;
            share.shard = ShardSpec{k, 2};
            compress_model(model, out, share);
            std::ifstream job(out.string() + ".parts/job.json");
            QVERIFY(nlohmann::json::parse(job).contains("plan"));
        }
        ModelCompressionOptions merge = options;
        merge.merge_only = true;
        compress_model(model, out, merge);
        QCOMPARE(read_file_bytes(out), read_file_bytes(single));
        // A merge with nothing computed under this plan lists every tensor, and creates nothing.
        ModelCompressionOptions other = merge;
        other.bits_per_entry = 3.0;
        QVERIFY_THROWS_EXCEPTION(MissingPartsError,
                                 compress_model(model, dir.filePath("none.scdz").toStdString(), other));
        QVERIFY(!fs::exists(dir.filePath("none.scdz.parts").toStdString()));
    }

    void progressLinesOnlyOnATerminalOrWhenAsked() {
        QTemporaryDir dir;
        const QString model = dir.filePath("model.safetensors");
        write_checkpoint(model.toStdString());
        const Run quiet = cli({"compress-model", model, "--out", dir.filePath("q.scdz"), "--bits-per-entry", "2"});
        QCOMPARE(quiet.status, 0);
        QVERIFY(!quiet.err.contains("tensors"));
        const Run asked =
            cli({"compress-model", model, "--out", dir.filePath("p.scdz"), "--bits-per-entry", "2", "--progress"});
        QCOMPARE(asked.status, 0);
        QVERIFY(asked.err.contains("tensors"));
        const Run unknown =
            cli({"compress-model", model, "--out", dir.filePath("x.scdz"), "--bits-per-entry", "2", "--method", "zip"});
        QCOMPARE(unknown.status, 2);
        QVERIFY(unknown.err.contains("tcq") && unknown.err.contains("best"));  // the known ones are listed
        const Run info = cli({"info", dir.filePath("q.scdz")});
        QVERIFY(info.out.contains("scd       2.00"));  // each tensor's method and budget
    }

    // A version 3 file whose payload does not match its method's stored form (truncated,
    // an index that claims a huge matrix, more entries apart than the tensor has) is one
    // FileError naming the tensor, before anything large is allocated.
    void malformedVersion3PayloadsGiveOneClearError() {
        QTemporaryDir dir;
        const fs::path model = dir.filePath("model.safetensors").toStdString();
        write_checkpoint(model);
        ModelCompressionOptions options;
        options.method = "tcq";
        options.bits_per_entry = 2.0;
        const fs::path good = dir.filePath("good.scdz").toStdString();
        compress_model(model, good, options);
        const auto rewrite = [&](const std::function<void(nlohmann::json&, std::vector<char>&)>& change) {
            const ScdzReader reader(good);
            std::vector<char> payloads;
            nlohmann::json tensors = nlohmann::json::array();
            for (const ScdzEntry& e : reader.entries()) {
                const std::span<const char> p = reader.payload(e);
                nlohmann::json j{{"name", e.name},
                                 {"dtype", e.dtype},
                                 {"shape", e.shape},
                                 {"offset", 16 + payloads.size()},
                                 {"kind", e.decomposed ? "stored" : "raw"},
                                 {"bits_per_entry", e.bits_per_entry}};
                std::vector<char> bytes(p.begin(), p.end());
                if (e.decomposed) {
                    j["decomposed_shape"] = e.decomposed_shape;
                    j["width"] = 0;
                    j["relative_error"] = e.relative_error;
                    j["method"] = e.method;
                    j["budget"] = e.budget;
                    if (tensors.empty() || !tensors.back().contains("method")) change(j, bytes);
                }
                j["length"] = bytes.size();
                j["crc32"] = crc32(bytes.data(), bytes.size());
                payloads.insert(payloads.end(), bytes.begin(), bytes.end());
                tensors.push_back(j);
            }
            const fs::path bad = dir.filePath("bad.scdz").toStdString();
            write_scdz_by_hand(bad, 3, payloads, tensors);
            const ScdzReader reader_bad(bad);
            bool refused = false;
            for (const ScdzEntry& e : reader_bad.entries()) {
                try {
                    (void)load_tensor(reader_bad, e);
                } catch (const FileError& error) {
                    refused = std::string(error.what()).find(e.name) != std::string::npos;
                }
            }
            return refused;
        };
        QVERIFY(rewrite([](nlohmann::json&, std::vector<char>& bytes) { bytes.resize(bytes.size() / 2); }));
        QVERIFY(rewrite([](nlohmann::json& j, std::vector<char>&) {
            j["shape"] = {1 << 20, 1 << 20};
            j["decomposed_shape"] = {1 << 20, 1 << 20};
        }));
        QVERIFY(rewrite([](nlohmann::json& j, std::vector<char>&) { j["method"] = "jpeg"; }));
        QVERIFY(rewrite([](nlohmann::json& j, std::vector<char>&) {
            j["method"] = "rtn";
            j["entries_apart"] = 5;
        }));
    }
};

QTEST_MAIN(CheckpointMethodsTest)
#include "test_checkpoint_methods.moc"
