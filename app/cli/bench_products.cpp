// signcut-cli bench --products: y = Â·x from the bits (scd, dbf) beside dense f32 and bf16
// GEMVs over the same shape, every timing in one run, interleaved repetition by repetition so
// that all of them see the same machine load; each reported time is the median over the
// repetitions of the fastest of three runs.
#include <QJsonArray>
#include <QJsonObject>

#include <oneapi/tbb/info.h>

#include <cmath>
#include <memory>
#include <random>

#include "cli/bench_products.h"
#include "cli/bench_units.h"
#include "tensor/dense_gemv.h"
#include "cli/cli_support.h"
#include "methods/dbf_product.h"
#include "methods/double_binary.h"
#include "scd/scd_product.h"
#include "scd/sign_bits.h"
#include "scd/sign_matrix_product.h"
#include "tensor/dense_products.h"
#include "tensor/float16.h"

namespace signcut::cli {
namespace {

// rows × cols random signs, packed row after row (sign_bits.h), and as a SignMatrix.
SignMatrix random_signs(std::size_t rows, std::size_t cols, std::mt19937_64& rng) {
    const std::size_t words = words_for_bits(cols);
    std::vector<std::uint64_t> bits(rows * words);
    for (std::size_t r = 0; r < rows; ++r) {
        const std::span<std::uint64_t> row(bits.data() + r * words, words);
        for (auto& w : row) w = rng();
        clear_tail_bits(row, cols);
    }
    return SignMatrix::from_rows(rows, cols, [&](std::size_t r) { return bits.data() + r * words; });
}

// The reference: y = M·x in double, straight from the tiles (x, y: n × batch row-major).
std::vector<double> product_in_double(const SignMatrix& m, const std::vector<double>& x, std::size_t batch) {
    std::vector<double> y(m.rows() * batch, 0.0);
    tbb::parallel_for(std::size_t(0), m.row_blocks(), [&](std::size_t block) {
        const std::uint64_t* tiles = m.block_tiles(block);
        for (std::size_t l = 0; l < SignMatrix::kBlockRows && block * SignMatrix::kBlockRows + l < m.rows(); ++l) {
            double* out = y.data() + (block * SignMatrix::kBlockRows + l) * batch;
            for (std::size_t c = 0; c < m.cols(); ++c) {
                const bool negative = (tiles[c / 4] >> (SignMatrix::nibble_shift(l) + c % 4)) & 1u;
                for (std::size_t v = 0; v < batch; ++v) out[v] += negative ? -x[c * batch + v] : x[c * batch + v];
            }
        }
    });
    return y;
}

void scale_rows(std::vector<double>& values, std::span<const float> scales, std::size_t batch) {
    for (std::size_t i = 0; i < scales.size(); ++i)
        for (std::size_t v = 0; v < batch; ++v) values[i * batch + v] *= scales[i];
}

// One product from the bits at a budget: what it multiplies, its exact value in double, its size.
struct Candidate {
    std::function<void(std::span<const float>, std::size_t, std::span<float>)> product;
    std::function<std::vector<double>(const std::vector<double>&, std::size_t)> exact;
    std::size_t bytes = 0;
    std::string note;
};

// Random cuts at the width the budget gives (the time does not depend on the signs' values).
Candidate scd_candidate(std::size_t rows, std::size_t cols, double bits, std::mt19937_64& rng) {
    const Shape shape{rows, cols};
    const std::size_t w = width_for_bits_per_entry(shape, bits, CoeffPrecision::f32);
    Decomposition d(shape, CoeffPrecision::f32, 1.0);
    std::vector<std::uint64_t> cut(d.words_per_cut());
    std::uniform_real_distribution<float> uniform(0.5f, 1.5f);
    for (std::size_t j = 0; j < w; ++j) {
        for (auto& word : cut) word = rng();
        clear_tail_bits(std::span(cut).first(words_for_bits(rows)), rows);
        clear_tail_bits(std::span(cut).subspan(words_for_bits(rows)), cols);
        d.append(uniform(rng) / std::sqrt(float(j + 1)), cut, 1.0);
    }
    auto product = std::make_shared<ScdProduct>(d, w);
    // Â·x = S·(c ⊙ (Tᵀ·x)): the dense reconstruction times x, summed in double in this order.
    auto left = std::make_shared<SignMatrix>(
        SignMatrix::from_columns(rows, w, [&](std::size_t j) { return d.signs(j, 0).data(); }));
    auto right = std::make_shared<SignMatrix>(
        SignMatrix::from_rows(w, cols, [&](std::size_t j) { return d.signs(j, 1).data(); }));
    auto coeffs = std::make_shared<std::vector<float>>(d.coeffs().begin(), d.coeffs().end());
    return {[product](std::span<const float> x, std::size_t b, std::span<float> y) { product->apply(x, b, y); },
            [left, right, coeffs](const std::vector<double>& x, std::size_t b) {
                std::vector<double> z = product_in_double(*right, x, b);
                scale_rows(z, *coeffs, b);
                return product_in_double(*left, z, b);
            },
            product->bytes(), "w = " + std::to_string(w)};
}

// Random factors at the middle dimension k the budget gives, scales rounded to f16 as stored.
Candidate dbf_candidate(std::size_t rows, std::size_t cols, double bits, std::mt19937_64& rng) {
    const std::size_t k = dbf_middle_for_budget(rows, cols, bits);
    if (k == 0) return {};
    auto f = std::make_shared<DbfFactors>();
    std::uniform_real_distribution<float> uniform(0.5f, 1.5f);
    const auto scales = [&](std::size_t n) {
        std::vector<float> s(n);
        for (float& v : s) v = f16_bits_to_float(float_to_f16_bits(uniform(rng)));
        return s;
    };
    f->a = scales(rows), f->m = scales(k), f->b = scales(cols);
    f->s1 = random_signs(rows, k, rng);
    f->s2 = random_signs(k, cols, rng);
    return {[f](std::span<const float> x, std::size_t b, std::span<float> y) { dbf_product(*f, x, b, y); },
            [f](const std::vector<double>& x, std::size_t b) {
                std::vector<double> u = x;
                scale_rows(u, f->b, b);
                std::vector<double> v = product_in_double(f->s2, u, b);
                scale_rows(v, f->m, b);
                std::vector<double> y = product_in_double(f->s1, v, b);
                scale_rows(y, f->a, b);
                return y;
            },
            f->bytes(), "k = " + std::to_string(k)};
}

double relative_difference(std::span<const float> y, const std::vector<double>& exact) {
    double diff = 0, norm = 0;
    for (std::size_t i = 0; i < exact.size(); ++i) {
        diff += (double(y[i]) - exact[i]) * (double(y[i]) - exact[i]);
        norm += exact[i] * exact[i];
    }
    return norm > 0 ? std::sqrt(diff / norm) : 0.0;
}

std::vector<std::size_t> parse_batches(const QString& text) {
    std::vector<std::size_t> batches;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const qulonglong b = part.toULongLong(&ok);
        if (!ok || b == 0 || b > kMaxProductBatch)
            throw UsageError(("--batch takes sizes from 1 to 64, not '" + part + "'").toStdString());
        batches.push_back(std::size_t(b));
    }
    if (batches.empty()) throw UsageError("--batch needs at least one size");
    return batches;
}

}  // namespace

int bench_products(const QCommandLineParser& parser) {
    const Shape shape = parse_shape(parser.value("size"));
    if (shape.size() != 2) throw UsageError("--products needs a matrix: --size ROWSxCOLS");
    const std::size_t rows = shape[0], cols = shape[1];
    const std::vector<double> budgets = parse_budgets(parser.value("bits"));
    const QStringList methods = parser.value("methods").split(',', Qt::SkipEmptyParts);
    for (const QString& method : methods)
        if (method != "scd" && method != "dbf")
            throw UsageError(("--methods takes scd and dbf with --products, not '" + method + "'").toStdString());
    const std::vector<std::size_t> batches = parse_batches(parser.value("batch"));
    const int repetitions = int(std::max<std::size_t>(3, parse_count(parser, "repetitions")));
    const std::uint64_t seed = parse_count(parser, "seed");

    const F32Gemv gemv_f32(rows, cols, seed);
    const Bf16Gemv gemv_bf16(rows, cols, seed);
    PassTimer stream(
        [read = std::make_shared<StreamRead>(Tensor::view({rows, cols}, gemv_f32.weights()))] { (*read)(); });
    stream.sample(20);
    const double stream_gb_per_second = double(gemv_f32.bytes()) / stream.median_seconds() * 1e-9;

    std::mt19937_64 rng(seed);
    QJsonArray products;
    for (const double bits : budgets)
        for (const QString& method : methods) {
            const Candidate candidate =
                method == "scd" ? scd_candidate(rows, cols, bits, rng) : dbf_candidate(rows, cols, bits, rng);
            if (!candidate.product) continue;  // no stored form fits the budget
            for (const std::size_t batch : batches) {
                std::normal_distribution<float> normal;
                std::vector<float> x(cols * batch), y(rows * batch), y_f32(rows * batch), y_bf16(rows * batch);
                for (float& v : x) v = normal(rng);
                PassTimer ours([&] { candidate.product(x, batch, y); });
                PassTimer f32([&] { gemv_f32.apply(x, batch, y_f32); });
                PassTimer bf16([&] { gemv_bf16.apply(x, batch, y_bf16); });
                // Interleaved, so that all three see the same load; each repetition keeps the fastest
                // of three runs (a run another process preempted says nothing about the kernel).
                for (int rep = 0; rep < repetitions; ++rep)
                    for (PassTimer* timer : {&ours, &f32, &bf16}) timer->sample(3);
                const double ms = ours.median_seconds() * 1e3, ms_f32 = f32.median_seconds() * 1e3,
                             ms_bf16 = bf16.median_seconds() * 1e3;
                candidate.product(x, batch, y);
                const double difference =
                    relative_difference(y, candidate.exact(std::vector<double>(x.begin(), x.end()), batch));
                products.append(QJsonObject{
                    {"method", method},
                    {"bits_per_entry", bits},
                    {"batch", qint64(batch)},
                    {"ms_product", ms},
                    {"ms_gemv_f32", ms_f32},
                    {"ms_gemv_bf16", ms_bf16},
                    {"speedup_vs_bf16", ms_bf16 / ms},
                    {"speedup_vs_f32", ms_f32 / ms},
                    {"gb_per_second", double(candidate.bytes) / (ms * 1e-3) * 1e-9},
                    {"bytes_read", qint64(candidate.bytes)},
                    {"relative_difference", difference},
                    {"note", QString::fromStdString(candidate.note)},
                });
            }
        }

    const QJsonObject result{
        {"size", QString::fromStdString(shape_to_string(shape))},
        {"threads", tbb::info::default_concurrency()},
        {"kernels", QString::fromUtf8(isa_name(active_kernels().isa))},
        {"gemv_bf16_kernels", QString::fromStdString(Bf16Gemv::kernel_name())},
        {"gemv_f32_kernels", QString::fromStdString("Eigen (" + dense_product_kernels() + "), row blocks on oneTBB")},
        {"bytes_f32", qint64(gemv_f32.bytes())},
        {"bytes_bf16", qint64(gemv_bf16.bytes())},
        {"stream_gb_per_second", stream_gb_per_second},
        {"products", products},
    };
    if (parser.isSet("json")) {
        print_json(result);
        return 0;
    }
    print_line(QString("%1, %2 threads, %3 kernels; bf16 GEMV: %4; f32 GEMV: %5; stream read %6 GB/s")
                   .arg(result["size"].toString())
                   .arg(result["threads"].toInt())
                   .arg(result["kernels"].toString(), result["gemv_bf16_kernels"].toString(),
                        result["gemv_f32_kernels"].toString())
                   .arg(stream_gb_per_second, 0, 'f', 1));
    print_line("method  b/e  batch  ms product  ms f32  ms bf16  vs bf16  vs f32   GB/s  rel. difference  form");
    for (const QJsonValue& value : products) {
        const QJsonObject row = value.toObject();
        print_line(QString("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10  %11")
                       .arg(row["method"].toString(), -6)
                       .arg(row["bits_per_entry"].toDouble(), 4, 'g', 3)
                       .arg(row["batch"].toInt(), 6)
                       .arg(row["ms_product"].toDouble(), 11, 'f', 3)
                       .arg(row["ms_gemv_f32"].toDouble(), 7, 'f', 3)
                       .arg(row["ms_gemv_bf16"].toDouble(), 8, 'f', 3)
                       .arg(row["speedup_vs_bf16"].toDouble(), 8, 'f', 2)
                       .arg(row["speedup_vs_f32"].toDouble(), 7, 'f', 2)
                       .arg(row["gb_per_second"].toDouble(), 6, 'f', 1)
                       .arg(row["relative_difference"].toDouble(), 16, 'e', 2)
                       .arg(row["note"].toString()));
    }
    return 0;
}

}  // namespace signcut::cli
