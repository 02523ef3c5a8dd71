// Checkpoints at scale: Hugging Face sharded inputs (index checks), the --shard K/N plan,
// processes sharing one parts folder, --merge-only, .scdz versions 1, 2 and 3, expansion to a
// folder of shards with its index, and a shard killed mid-tensor then rerun alone.
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "cli_process.h"
#include "scdz_by_hand.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <fstream>
#include <numeric>
#include <set>

#include "io/byte_codec.h"
#include "io/file_access.h"
#include "io/safetensors_index.h"
#include "io/scd_file.h"
#include "io/scdz_file.h"
#include "io/sharded_checkpoint.h"
#include "io/sharded_safetensors_writer.h"
#include "methods/method.h"
#include "model/model_compression.h"
#include "model/model_expansion.h"
#include "model/shard_plan.h"
#include "model/stored_tensor.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

using namespace signcut;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A sharded checkpoint with matrices in three float dtypes, a norm and an integer tensor,
// split into shards of at most `max_bytes` (4 shards at 5000: q and norm, up, q and ids, up).
std::vector<SafetensorsSpec> write_sharded_checkpoint(const fs::path& folder, std::uint64_t max_bytes = 5000) {
    const std::vector<SafetensorsSpec> specs = {
        {"layers.0.q.weight", "BF16", {40, 32}}, {"layers.0.norm.weight", "F32", {32}},
        {"layers.0.up.weight", "F16", {48, 32}}, {"layers.1.q.weight", "F32", {36, 32}},
        {"position_ids", "I64", {1, 16}},        {"layers.1.up.weight", "BF16", {56, 24}},
    };
    ShardedSafetensorsWriter writer(folder, specs, {{"format", "pt"}}, max_bytes);
    std::uint64_t seed = 1;
    for (const SafetensorsSpec& spec : specs) {
        if (spec.dtype == "I64") writer.write_next(std::vector<char>(16 * 8, 1));
        else writer.write_next(gaussian_tensor(spec.shape, seed++));
    }
    writer.commit();
    return specs;
}

nlohmann::json read_json(const fs::path& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

void expect_file_error(const fs::path& input, const std::string& words) {
    try {
        ShardedCheckpoint checkpoint(input);
        QFAIL(("opened, but should refuse: " + words).c_str());
    } catch (const FileError& error) {
        if (std::string(error.what()).find(words) == std::string::npos)
            QFAIL(("message lacks '" + words + "': " + error.what()).c_str());
    }
}

// The .scdz layout of versions 1 and 2, written here byte by byte (signcut now writes version
// 3): one stored tensor; version 1 with its seconds and no method, version 2 with its method.
void write_old_scdz(const fs::path& path, std::uint32_t version, const std::string& name, const Shape& shape,
                    const std::string& method, const std::vector<char>& payload, std::size_t width) {
    nlohmann::json entry{{"name", name},   {"dtype", "F32"},           {"shape", shape},
                         {"offset", 16},   {"length", payload.size()}, {"crc32", crc32(payload.data(), payload.size())},
                         {"kind", "scd"},  {"bits_per_entry", 4.0},    {"decomposed_shape", shape},
                         {"width", width}, {"relative_error", 0.25}};
    if (version == 1) entry["seconds"] = 1.5;
    else entry["method"] = method;
    write_scdz_by_hand(path, version, payload, nlohmann::json::array({entry}));
}

void write_version1_scdz(const fs::path& path, const Decomposition& d, const std::string& name) {
    write_old_scdz(path, 1, name, d.shape(), "scd", encode_scd(d, d.width()), d.width());
}

// Version 2's rtn payload (methods/rtn_payload.h) of a 2 × 3 matrix: row 0 at width 2 (zero 1,
// scale 0.5, codes 0 1 3), row 1 at width 0 (mean −2).
std::vector<char> version2_rtn_payload() {
    ByteWriter out;
    out.put_bytes("RTN1", 4);
    out.put(std::uint64_t(2));
    out.put(std::uint64_t(3));
    out.put(std::uint64_t(3));
    out.put(std::uint8_t(2));
    out.put(std::uint8_t(0));
    out.put(std::uint16_t(0x3C00));   // f16 1
    out.put(std::uint16_t(0x3800));   // f16 0.5
    out.put(std::uint16_t(0xC000));   // f16 −2
    out.put(std::uint8_t(0b110100));  // codes 0, 1, 3 at 2 bits, LSB first
    return out.bytes();
}

// A generated 2-layer sharded checkpoint dir/model and its compression by one process,
// dir/single.scdz, to compare the sharded runs with.
bool generate_and_compress_once(const QTemporaryDir& dir, const QStringList& shape, const QStringList& options) {
    return cli(QStringList{"synthetic-checkpoint", dir.filePath("model"), "--layers", "2"} + shape).status == 0 &&
           cli(QStringList{"compress-model", dir.filePath("model"), "--out", dir.filePath("single.scdz")} + options)
                   .status == 0;
}

QJsonArray read_json_array(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).array() : QJsonArray();
}

std::size_t finished_parts(const QString& parts) {
    return std::size_t(QDir(parts).entryList({"*.json"}).size()) - QFileInfo::exists(parts + "/job.json");
}

}  // namespace

class CheckpointShardsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aFolderAnIndexAndItsShardsOpenAsOneCheckpoint() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("model").toStdString();
        const std::vector<SafetensorsSpec> specs = write_sharded_checkpoint(folder);
        const ShardedCheckpoint by_folder(folder), by_index(folder / "model.safetensors.index.json");
        QCOMPARE(by_folder.files().size(), std::size_t(4));
        QCOMPARE(by_folder.source(), by_index.source());
        QCOMPARE(by_folder.tensors().size(), specs.size());
        for (std::size_t i = 0; i < specs.size(); ++i) {  // shards in name order, so the written order
            QCOMPARE(by_folder.tensors()[i].entry.name, specs[i].name);
            QCOMPARE(by_folder.tensors()[i].entry.dtype, specs[i].dtype);  // each tensor keeps its dtype
            QCOMPARE(by_folder.tensors()[i].entry.shape, specs[i].shape);
        }
        const SafetensorsIndex index = read_safetensors_index(folder / "model.safetensors.index.json");
        std::uint64_t total = 0;
        for (const SafetensorsSpec& s : specs) total += element_count(s.shape) * safetensors_dtype_bytes(s.dtype);
        QCOMPARE(index.total_size, total);
        // A folder with one plain file opens that file.
        const fs::path single = dir.filePath("single").toStdString();
        fs::create_directories(single);
        fs::copy_file(folder / "model-00001-of-00004.safetensors", single / "m.safetensors");
        QCOMPARE(ShardedCheckpoint(single).tensors().size(),
                 ShardedCheckpoint(folder / "model-00001-of-00004.safetensors").tensors().size());
    }

    void anIndexNamingAMissingShardIsRefusedBeforeAnyWork() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("model").toStdString();
        write_sharded_checkpoint(folder);
        fs::remove(folder / "model-00002-of-00004.safetensors");
        fs::remove(folder / "model-00004-of-00004.safetensors");
        expect_file_error(folder, "missing: model-00002-of-00004.safetensors, model-00004-of-00004.safetensors");
        const fs::path out = dir.filePath("m.scdz").toStdString();
        QVERIFY_THROWS_EXCEPTION(FileError, compress_model(folder, out, {}));
        QVERIFY(!fs::exists(out.string() + ".parts"));  // nothing started
    }

    void anIndexNamingATensorItsShardLacksIsRefused() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("model").toStdString();
        write_sharded_checkpoint(folder);
        const fs::path index = folder / "model.safetensors.index.json";
        nlohmann::json j = read_json(index);
        j["weight_map"]["layers.9.ghost.weight"] = "model-00001-of-00004.safetensors";
        write_text(index, j.dump());
        expect_file_error(
            folder, "names tensor 'layers.9.ghost.weight' in model-00001-of-00004.safetensors, which does not hold it");
        // And a shard holding a tensor the index does not name.
        j = read_json(index);
        j["weight_map"].erase("layers.9.ghost.weight");
        j["weight_map"].erase("position_ids");
        write_text(index, j.dump());
        expect_file_error(folder, "holds tensor 'position_ids', which the index does not name");
    }

    void aTensorNamedTwiceIsRefused() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("model").toStdString();
        write_sharded_checkpoint(folder);
        const fs::path index = folder / "model.safetensors.index.json";
        // Twice in the weight map (the JSON parser alone would keep the last silently).
        const std::vector<char> original = read_file_bytes(index);
        const std::string text(original.begin(), original.end());
        const std::string entry = "\"layers.0.q.weight\": \"model-00001-of-00004.safetensors\"";
        QVERIFY(text.find(entry) != std::string::npos);
        write_text(index, std::string(text).replace(text.find(entry), entry.size(), entry + ",\n" + entry));
        expect_file_error(folder, "tensor 'layers.0.q.weight' is named twice");
        // In two shards.
        write_text(index, text);
        SafetensorsWriter copy(folder / "model-00002-of-00004.safetensors", {{"layers.0.q.weight", "F32", {2, 2}}});
        copy.write_next(Tensor({2, 2}, std::vector<float>(4, 1.0f)));
        copy.commit();
        expect_file_error(folder, "tensor 'layers.0.q.weight' is in two shards");
        // A shard name that leaves the folder.
        write_text(index, R"({"weight_map": {"a": "../model-00001-of-00004.safetensors"}})");
        expect_file_error(folder, "not a file beside the index");
    }

    void thePlanIsBalancedAndTheSameForEveryProcess() {
        std::vector<double> costs;
        for (std::size_t i = 0; i < 300; ++i) costs.push_back(double((i * 7919) % 1000 + 1) * (i % 5 == 0 ? 40 : 1));
        for (std::size_t n : {1, 2, 3, 4, 7, 16}) {
            const std::vector<std::size_t> plan = plan_shards(costs, n);
            QCOMPARE(plan, plan_shards(costs, n));
            std::vector<double> load(n, 0.0);
            for (std::size_t i = 0; i < costs.size(); ++i) load[plan[i]] += costs[i];
            const double mean = std::accumulate(load.begin(), load.end(), 0.0) / double(n);
            const double largest = *std::max_element(costs.begin(), costs.end());
            QVERIFY(*std::max_element(load.begin(), load.end()) <= mean + largest);
            QVERIFY(*std::max_element(load.begin(), load.end()) <= 1.05 * mean);  // 300 jobs: nearly even
        }
        QCOMPARE(parse_shard_spec("3/4").index, std::size_t(3));
        for (const char* bad : {"4/4", "1/0", "-1/4", "1/", "/4", "1/4x", "a/b", "14"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_shard_spec(bad));
    }

    // Three processes at once on one parts folder (each its own share), then --merge-only: the
    // shares partition the tensors and the result is a single run's file, byte for byte.
    void concurrentShardsMergeToTheBytesOfASingleRun() {
        QTemporaryDir dir;
        const QString model = dir.filePath("model"), single = dir.filePath("single.scdz"),
                      out = dir.filePath("out.scdz");
        const QStringList options = {"--bits-per-entry", "5"};
        QVERIFY(generate_and_compress_once(
            dir, {"--hidden", "96", "--intermediate", "160", "--max-shard-size", "100KB"}, options));
        std::vector<std::unique_ptr<QProcess>> processes;
        for (int k = 0; k < 3; ++k) {
            processes.push_back(std::make_unique<QProcess>());
            processes.back()->start(
                SIGNCUT_CLI, QStringList{"compress-model", model, "--out", out, "--shard", QString("%1/3").arg(k),
                                         "--progress", "--report", dir.filePath(QString("r%1.json").arg(k))} +
                                 options);
        }
        for (auto& p : processes) {
            QVERIFY(p->waitForFinished(120000));
            QCOMPARE(p->exitStatus(), QProcess::NormalExit);
            QCOMPARE(p->exitCode(), 0);
            QVERIFY(p->readAllStandardError().contains("shard "));  // progress lines name the shard
        }
        QVERIFY(!QFileInfo::exists(out));  // shards assemble nothing
        std::set<QString> seen;
        std::size_t rows = 0;
        for (int k = 0; k < 3; ++k) {
            const QJsonArray report = read_json_array(dir.filePath(QString("r%1.json").arg(k)));
            QVERIFY(!report.isEmpty());
            for (const QJsonValue& row : report) {
                QCOMPARE(row["shard"].toString(), QString("%1/3").arg(k));
                QCOMPARE(row["method"].toString(), QString("scd"));
                QVERIFY(row["seconds"].toDouble() > 0);
                seen.insert(row["name"].toString());
                ++rows;
            }
        }
        QCOMPARE(rows, std::size_t(14));  // 7 matrices per layer, each in exactly one share
        QCOMPARE(seen.size(), std::size_t(14));
        const Run merge = cli(QStringList{"compress-model", model, "--out", out, "--merge-only"} + options);
        QCOMPARE(merge.status, 0);
        QVERIFY(read_file_bytes(out.toStdString()) == read_file_bytes(single.toStdString()));
        QVERIFY(!QFileInfo::exists(out + ".parts"));
    }

    void mergeOnlyWithPartsMissingExitsOneAndListsThem() {
        QTemporaryDir dir;
        const QString model = dir.filePath("model"), out = dir.filePath("out.scdz");
        QCOMPARE(cli({"synthetic-checkpoint", model, "--layers", "1", "--hidden", "64", "--intermediate", "96",
                      "--max-shard-size", "30KB"})
                     .status,
                 0);
        QCOMPARE(cli({"compress-model", model, "--out", out, "--bits-per-entry", "4", "--shard", "0/2"}).status, 0);
        const std::size_t done = finished_parts(out + ".parts");
        QVERIFY(done > 0 && done < 7);
        const Run merge = cli({"compress-model", model, "--out", out, "--bits-per-entry", "4", "--merge-only"});
        QCOMPARE(merge.status, 1);
        QVERIFY(merge.err.contains(QString("%1 of 7 tensors are not finished").arg(7 - done).toUtf8()));
        QVERIFY(merge.err.contains("model.layers.0."));
        QVERIFY(!QFileInfo::exists(out));
        QCOMPARE(finished_parts(out + ".parts"), done);  // computes nothing
        // Settings other than the job's are refused, by shards and merges alike.
        const Run other = cli({"compress-model", model, "--out", out, "--bits-per-entry", "5", "--shard", "1/2"});
        QCOMPARE(other.status, 1);
        QVERIFY(other.err.contains("other settings"));
        QCOMPARE(cli({"compress-model", model, "--out", out, "--bits-per-entry", "4", "--shard", "1/2"}).status, 0);
        QCOMPARE(cli({"compress-model", model, "--out", out, "--bits-per-entry", "4", "--merge-only"}).status, 0);
        QVERIFY(QFileInfo::exists(out));
    }

    void version3RecordsTheMethodAndVersions1And2StillOpen() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("model").toStdString(), out = dir.filePath("m.scdz").toStdString();
        write_sharded_checkpoint(folder);
        ModelCompressionOptions options;
        options.bits_per_entry = 4;
        compress_model(folder, out, options);
        const ScdzReader v2(out);
        QCOMPARE(v2.version(), std::uint32_t(3));
        std::size_t decomposed = 0;
        for (const ScdzEntry& e : v2.entries()) {
            if (!e.decomposed) continue;
            ++decomposed;
            QCOMPARE(e.method, std::string("scd"));
            QCOMPARE(e.seconds, 0.0);  // not stored: the file depends on the input and settings only
        }
        QCOMPARE(decomposed, std::size_t(4));
        const std::vector<char> bytes = read_file_bytes(out);
        QVERIFY(std::string(bytes.begin(), bytes.end()).find("\"seconds\"") == std::string::npos);

        const fs::path old = dir.filePath("old.scdz").toStdString();
        const Decomposition d = v2.decomposition(v2.entries()[0]);
        write_version1_scdz(old, d, "old.weight");
        const ScdzReader v1(old);
        QCOMPARE(v1.version(), std::uint32_t(1));
        QCOMPARE(v1.entries()[0].method, std::string("scd"));
        QCOMPARE(v1.entries()[0].seconds, 1.5);
        QCOMPARE(v1.decomposition(v1.entries()[0]).width(), d.width());
        const std::vector<TensorReport> reports = scdz_reports(old);
        QCOMPARE(reports[0].method, std::string("scd"));
        const Run info = cli({"info", QString::fromStdString(old.string())});
        QCOMPARE(info.status, 0);
        QVERIFY(info.out.contains("methods         scd 1"));

        // Version 2's rtn payloads still expand.
        const fs::path rtn = dir.filePath("rtn-v2.scdz").toStdString();
        write_old_scdz(rtn, 2, "rtn.weight", {2, 3}, "rtn", version2_rtn_payload(), 0);
        const ScdzReader old_rtn(rtn);
        QCOMPARE(old_rtn.version(), std::uint32_t(2));
        const Tensor back = load_tensor(old_rtn, old_rtn.entries()[0]);
        const std::vector<float> expected = {1.0f, 1.5f, 2.5f, -2.0f, -2.0f, -2.0f};
        QVERIFY(std::equal(expected.begin(), expected.end(), back.data().begin()));
        // A version 2 file names only the methods version 2 had.
        write_old_scdz(rtn, 2, "tcq.weight", {2, 3}, "tcq", version2_rtn_payload(), 0);
        QVERIFY_THROWS_EXCEPTION(FileError, ScdzReader{rtn});
    }

    void expandingToAFolderWritesShardsAndTheirIndex() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("model").toStdString(), out = dir.filePath("m.scdz").toStdString();
        const std::vector<SafetensorsSpec> specs = write_sharded_checkpoint(folder);
        ModelCompressionOptions options;
        options.bits_per_entry = 4;
        compress_model(folder, out, options);
        const fs::path expanded = dir.filePath("expanded").toStdString();
        const Run run = cli({"expand-model", QString::fromStdString(out.string()), "--out",
                             QString::fromStdString(expanded.string()) + "/", "--max-shard-size", "5KB"});
        QCOMPARE(run.status, 0);
        const nlohmann::json index = read_json(expanded / "model.safetensors.index.json");
        std::uint64_t total = 0;
        std::set<std::string> shard_files;
        for (const SafetensorsSpec& s : specs) {
            total += element_count(s.shape) * safetensors_dtype_bytes(s.dtype);
            QVERIFY(index["weight_map"].contains(s.name));
            shard_files.insert(index["weight_map"][s.name].get<std::string>());
        }
        QCOMPARE(index["metadata"]["total_size"].get<std::uint64_t>(), total);
        QCOMPARE(index["weight_map"].size(), specs.size());
        for (const std::string& file : shard_files) {
            const SafetensorsReader shard(expanded / file);
            std::uint64_t bytes = 0;
            for (const SafetensorsEntry& e : shard.tensors()) bytes += e.end - e.begin;
            QVERIFY(bytes <= 5000 || shard.tensors().size() == 1);  // one tensor above the limit stands alone
            QCOMPARE(shard.metadata().at("format"), std::string("pt"));
        }
        QVERIFY(shard_files.size() >= 3);
        const ShardedCheckpoint back(expanded);  // the folder reads as a checkpoint again
        for (std::size_t i = 0; i < specs.size(); ++i) {
            QCOMPARE(back.tensors()[i].entry.name, specs[i].name);
            QCOMPARE(back.tensors()[i].entry.dtype, specs[i].dtype);
            QCOMPARE(back.tensors()[i].entry.shape, specs[i].shape);
        }
        // --dtype overrides the reconstructed tensors' dtype; a single file still works.
        QCOMPARE(
            cli({"expand-model", QString::fromStdString(out.string()), "--out", dir.filePath("f32"), "--dtype", "f32"})
                .status,
            0);
        QCOMPARE(ShardedCheckpoint(dir.filePath("f32").toStdString()).tensors()[0].entry.dtype, std::string("F32"));
        QCOMPARE(cli({"expand-model", QString::fromStdString(out.string()), "--out", dir.filePath("one.safetensors")})
                     .status,
                 0);
        QCOMPARE(SafetensorsReader(dir.filePath("one.safetensors").toStdString()).tensors().size(), specs.size());
        QCOMPARE(cli({"expand-model", QString::fromStdString(out.string()), "--out", dir.filePath("x"),
                      "--max-shard-size", "5XB"})
                     .status,
                 2);
    }

    void methodsWithoutAStoredFormAreRefusedBeforeAnyWork() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("model").toStdString(), out = dir.filePath("m.scdz").toStdString();
        write_sharded_checkpoint(folder);
        ModelCompressionOptions codec;
        codec.method = "jpeg";  // pictures only: no stored form for a tensor
        try {
            compress_model(folder, out, codec);
            QFAIL("accepted a method .scdz cannot store");
        } catch (const std::invalid_argument& error) {
            QVERIFY(std::string(error.what()).find("has no stored form") != std::string::npos);
        }
        ModelCompressionOptions unknown;
        unknown.method = "zip";
        try {
            compress_model(folder, out, unknown);
            QFAIL("accepted an unknown method");
        } catch (const std::invalid_argument& error) {  // the message lists the known ones
            for (const std::string& name : storable_method_names())
                QVERIFY(std::string(error.what()).find(name) != std::string::npos);
        }
        QVERIFY(!fs::exists(out.string() + ".parts"));
    }

    // Every stored form holds exactly the bits its method counts (⌈bits / 8⌉ bytes) and gives
    // the reconstruction back bit for bit; a damaged payload is one clear error.
    void everyStoredFormHoldsItsCountedBitsAndDecodesExactly() {
        Tensor a = gaussian_tensor({48, 40}, 7);
        a[5] = 40.0f;  // an outlier, for the methods that keep entries apart
        for (const std::string& method : storable_method_names()) {
            for (double bits : {1.0, 2.5, 16.0}) {
                MethodOptions options;
                options.bits_per_entry = bits;
                const Approximation stored = approximate(method, a, options);
                if (!stored.met_budget) continue;
                const QByteArray label = QByteArray::fromStdString(method + " at " + std::to_string(bits));
                QVERIFY2(stored.payload.size() == (stored.bits + 7) / 8, label);
                const Tensor back = load_stored_form(method, stored.payload, a.shape(), stored.entries_apart);
                QVERIFY2(back.shape() == a.shape(), label);
                QVERIFY2(std::equal(back.data().begin(), back.data().end(), stored.reconstruction.data().begin()),
                         label);
                std::vector<char> damaged = stored.payload;
                damaged.pop_back();
                QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                         load_stored_form(method, damaged, a.shape(), stored.entries_apart));
                damaged = stored.payload;
                damaged.insert(damaged.end(), 64, '\xff');
                QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                         load_stored_form(method, damaged, a.shape(), stored.entries_apart));
                QVERIFY_THROWS_EXCEPTION(std::invalid_argument, load_stored_form(method, std::vector<char>(3, '\xff'),
                                                                                 a.shape(), stored.entries_apart));
            }
        }
    }

    // --method best stores each tensor by whichever storable method has the lowest error, within
    // the budget; the file records the method and the runner-up, and expands like any other.
    void bestKeepsTheLowestErrorOfEveryMethodPerTensor() {
        QTemporaryDir dir;
        const fs::path folder = dir.filePath("model").toStdString();
        write_sharded_checkpoint(folder);
        std::map<std::string, std::vector<TensorReport>> by_method;
        std::vector<std::string> methods = storable_method_names();
        methods.push_back("best");
        for (const std::string& method : methods) {
            ModelCompressionOptions options;
            options.bits_per_entry = 3;
            options.method = method;
            const fs::path out = dir.filePath(QString::fromStdString(method) + ".scdz").toStdString();
            compress_model(folder, out, options);
            by_method[method] = scdz_reports(out);
        }
        std::set<std::string> chosen;
        for (std::size_t i = 0; i < by_method["best"].size(); ++i) {
            const TensorReport& best = by_method["best"][i];
            if (!best.decomposed) continue;
            chosen.insert(best.method);
            QVERIFY(best.bits_per_entry <= 3.0);
            double lowest = INFINITY;
            for (const auto& [method, reports] : by_method)
                if (method != "best" && reports[i].decomposed) lowest = std::min(lowest, reports[i].relative_error);
            QCOMPARE(best.relative_error, lowest);
            QVERIFY(!best.runner_up.empty());
            QVERIFY(best.runner_up_error >= best.relative_error);
            QCOMPARE(by_method[best.method][i].relative_error, best.relative_error);
        }
        QVERIFY(!chosen.empty());
        const fs::path best_file = dir.filePath("best.scdz").toStdString();
        const ScdzReader reader(best_file);
        for (const ScdzEntry& e : reader.entries()) {
            if (!e.decomposed) continue;
            const Tensor back = load_tensor(reader, e);
            QCOMPARE(back.shape(), e.shape);
            double error = 0;
            const ShardedCheckpoint source(folder);
            for (const CheckpointTensor& t : source.tensors()) {
                if (t.entry.name != e.name) continue;
                const Tensor a = source.to_tensor(t);
                for (std::size_t k = 0; k < a.size(); ++k) error += double(a[k] - back[k]) * double(a[k] - back[k]);
                QVERIFY(std::abs(std::sqrt(error / a.squared_norm()) - e.relative_error) < 1e-4);
            }
        }
        expand_model_to_folder(best_file, dir.filePath("expanded").toStdString(), "", 5000);
        QCOMPARE(ShardedCheckpoint(dir.filePath("expanded").toStdString()).tensors().size(), std::size_t(6));
    }

    void byteSizesReadLikeHuggingFaceWritesThem() {
        QCOMPARE(parse_byte_size("5GB"), std::uint64_t(5'000'000'000));
        QCOMPARE(parse_byte_size("500MB"), std::uint64_t(500'000'000));
        QCOMPARE(parse_byte_size("2GiB"), std::uint64_t(2) << 30);
        QCOMPARE(parse_byte_size("1.5kb"), std::uint64_t(1500));
        QCOMPARE(parse_byte_size("4096"), std::uint64_t(4096));
        for (const char* bad : {"", "MB", "0", "-5MB", "5 XB", "1e3"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_byte_size(bad));
    }

    // Shard 0/2 killed (SIGKILL) while it is computing its second tensor, then rerun alone: it
    // keeps what it had finished, the other shard runs, and the merge equals a single run.
    void aShardKilledMidTensorIsRerunAlone() {
        QTemporaryDir dir;
        const QString model = dir.filePath("model"), single = dir.filePath("single.scdz"),
                      out = dir.filePath("out.scdz");
        const QStringList options = {"--bits-per-entry", "6", "--threads", "1"};
        QVERIFY(generate_and_compress_once(dir, {"--hidden", "256", "--intermediate", "384", "--max-shard-size", "1MB"},
                                           options));
        const QStringList shard0 =
            QStringList{"compress-model",       model, "--out", out, "--shard", "0/2", "--json", "--report",
                        dir.filePath("r0.json")} +
            options;
        QVERIFY(kill_cli_when(shard0, [&] { return finished_parts(out + ".parts") >= 1; }));
        const std::size_t kept = finished_parts(out + ".parts");
        QCOMPARE(cli(QStringList{"compress-model", model, "--out", out, "--shard", "0/2", "--report",
                                 dir.filePath("r0.json")} +
                     options)
                     .status,
                 0);
        const QJsonArray rows = read_json_array(dir.filePath("r0.json"));
        QVERIFY(!rows.isEmpty());
        std::size_t resumed = 0;
        for (const QJsonValue& row : rows) resumed += row["resumed"].toBool();
        QCOMPARE(resumed, kept);
        QVERIFY(kept < std::size_t(rows.size()));  // the kill came mid-share, so the rerun computed the rest
        QCOMPARE(cli(QStringList{"compress-model", model, "--out", out, "--merge-only"} + options).status, 1);
        QCOMPARE(cli(QStringList{"compress-model", model, "--out", out, "--shard", "1/2"} + options).status, 0);
        QCOMPARE(cli(QStringList{"compress-model", model, "--out", out, "--merge-only"} + options).status, 0);
        QVERIFY(read_file_bytes(out.toStdString()) == read_file_bytes(single.toStdString()));
    }
};

QTEST_GUILESS_MAIN(CheckpointShardsTest)
#include "test_checkpoint_shards.moc"
