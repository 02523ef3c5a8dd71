#include "scd/cut_trace.h"

#include <cmath>

#include "scd/cut_start.h"

namespace signcut {
namespace {

// The contraction of R with every mode's signs but `mode`: y_i = Σ R[…i…] Π_{m≠mode} x_m.
std::vector<double> contract(const Tensor& r, const std::vector<SignVector>& signs, std::size_t mode) {
    const Shape& shape = r.shape();
    std::vector<double> image(shape[mode], 0.0);
    std::vector<std::size_t> index(shape.size(), 0);
    for (std::size_t flat = 0; flat < r.size(); ++flat) {
        double product = r[flat];
        for (std::size_t m = 0; m < shape.size(); ++m)
            if (m != mode) product *= signs[m][index[m]];
        image[index[mode]] += product;
        for (std::size_t m = shape.size(); m-- > 0;) {  // row-major: the last index runs fastest
            if (++index[m] < shape[m]) break;
            index[m] = 0;
        }
    }
    return image;
}

}  // namespace

Tensor sign_tensor(const std::vector<SignVector>& signs) {
    Shape shape;
    for (const SignVector& x : signs) shape.push_back(x.size());
    Tensor out(shape);
    std::vector<std::size_t> index(shape.size(), 0);
    for (std::size_t flat = 0; flat < out.size(); ++flat) {
        float product = 1.0f;
        for (std::size_t m = 0; m < shape.size(); ++m) product *= signs[m][index[m]];
        out[flat] = product;
        for (std::size_t m = shape.size(); m-- > 0;) {
            if (++index[m] < shape[m]) break;
            index[m] = 0;
        }
    }
    return out;
}

CutTrace trace_cut(const Tensor& residual, std::size_t cut_index, const DecomposeOptions& options) {
    const Shape& shape = residual.shape();
    const std::size_t k = shape.size();
    CutTrace trace;
    const auto start = seeded_cut_start(shape, options.seed, cut_index);
    trace.start.resize(k);
    for (std::size_t m = 0; m < k; ++m) {
        trace.start[m].assign(shape[m], 1);
        if (m > 0)
            for (std::size_t i = 0; i < shape[m]; ++i) trace.start[m][i] = is_negative(start[m], i) ? -1 : 1;
    }
    std::vector<SignVector> signs = trace.start;
    double value = -1.0;
    while (trace.sweeps < options.max_iterations) {
        ++trace.sweeps;
        double swept = 0.0;
        for (std::size_t mode = 0; mode < k; ++mode) {
            // x_mode ← sign(image) (sign(0) = +1); the cut value is then ‖image‖₁.
            const std::vector<double> image = contract(residual, signs, mode);
            swept = 0.0;
            for (std::size_t i = 0; i < image.size(); ++i) {
                signs[mode][i] = image[i] < 0 ? -1 : 1;
                swept += std::fabs(image[i]);
            }
            trace.steps.push_back({trace.sweeps, mode, swept, signs});
        }
        const bool grew = swept > value;
        value = swept;
        if (!grew) break;
    }
    trace.value = value;
    trace.coeff = round_to_precision(float(value / double(residual.size())), options.precision);
    const Tensor pattern = sign_tensor(signs);
    double before = 0.0, after = 0.0;
    for (std::size_t i = 0; i < residual.size(); ++i) {
        before += double(residual[i]) * residual[i];
        const double left = double(residual[i]) - double(trace.coeff) * pattern[i];
        after += left * left;
    }
    trace.residual_norm_before = std::sqrt(before);
    trace.residual_norm_after = std::sqrt(after);
    return trace;
}

}  // namespace signcut
