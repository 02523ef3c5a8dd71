#include "tensor/tensor.h"
#include "tensor/dense_products.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

#ifdef SIGNCUT_OPENBLAS
// Eigen's products go through OpenBLAS (core/CMakeLists.txt), called from several oneTBB
// threads at once: one OpenBLAS thread per call, set before any call. It lives here because
// every program that uses the core links this file.
extern "C" void openblas_set_num_threads(int);
extern "C" char* openblas_get_corename();
extern "C" void gotoblas_dynamic_init();
extern "C" void gotoblas_dynamic_quit();
namespace {
// OpenBLAS (0.3.21, Debian 12) picks its kernels by the CPU's model number and falls back to
// its SSE3 "Prescott" kernels on a model it does not know, e.g. Intel's Emerald Rapids
// (family 6, model 207): half the speed of its AVX-512 kernels there (DBF, 512², measured).
// On such a fallback, the CPU's own features choose instead, through OpenBLAS's own start-up
// path (OPENBLAS_CORETYPE, read by gotoblas_dynamic_init), never over a core type the user
// set. This runs as the core is loaded: before main in the programs; at import in Python,
// where numpy may have used the same OpenBLAS already (between its calls, which is safe:
// checked with a product before and after the switch).
bool choose_blas_kernels_by_features() {
    if (std::getenv("OPENBLAS_CORETYPE") || std::string_view(openblas_get_corename()) != "Prescott") return false;
    const char* core = nullptr;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd"))
        core = "SkylakeX";
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        core = "Haswell";
    if (!core) return false;
    setenv("OPENBLAS_CORETYPE", core, 0);
    gotoblas_dynamic_quit();
    gotoblas_dynamic_init();
    unsetenv("OPENBLAS_CORETYPE");  // the environment as it was, for child processes
    return true;
}
[[maybe_unused]] const bool kBlasKernelsByFeatures = choose_blas_kernels_by_features();
[[maybe_unused]] const bool kOneBlasThreadPerCall = (openblas_set_num_threads(1), true);
}  // namespace
#endif

namespace signcut {

std::string dense_product_kernels() {
#ifdef SIGNCUT_OPENBLAS
    return std::string("OpenBLAS ") + openblas_get_corename();
#else
    return "Eigen's own kernels (the build's baseline instruction set)";
#endif
}

std::size_t element_count(const Shape& shape, std::size_t max_elements) {
    if (shape.empty()) throw std::invalid_argument("a tensor needs at least one dimension");
    std::size_t count = 1;
    for (std::size_t n : shape) {
        if (n == 0) throw std::invalid_argument("tensor dimension of size 0 in " + shape_to_string(shape));
        if (count > max_elements / n)
            throw std::invalid_argument("tensor " + shape_to_string(shape) + " has too many entries (limit " +
                                        std::to_string(max_elements) + ")");
        count *= n;
    }
    return count;
}

std::string shape_to_string(const Shape& shape) {
    std::string text;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) text += 'x';
        text += std::to_string(shape[i]);
    }
    return text.empty() ? "()" : text;
}

Tensor::Tensor(Shape shape) : shape_(std::move(shape)), owned_(element_count(shape_), 0.0f), data_(owned_) {}

Tensor::Tensor(Shape shape, FloatBuffer data) : shape_(std::move(shape)), owned_(std::move(data)), data_(owned_) {
    if (element_count(shape_) != data_.size())
        throw std::invalid_argument("tensor data size does not match shape " + shape_to_string(shape_));
}

Tensor Tensor::view(Shape shape, std::span<const float> data) {
    if (element_count(shape) != data.size())
        throw std::invalid_argument("tensor data size does not match shape " + shape_to_string(shape));
    Tensor tensor;
    tensor.shape_ = std::move(shape);
    // Never written through: see the declaration.
    tensor.data_ = std::span(const_cast<float*>(data.data()), data.size());
    return tensor;
}

Tensor::Tensor(const Tensor& other)
    : shape_(other.shape_), owned_(other.data_.begin(), other.data_.end()), data_(owned_) {}

Tensor::Tensor(Tensor&& other) noexcept
    : shape_(std::move(other.shape_)), owned_(std::move(other.owned_)), data_(std::exchange(other.data_, {})) {}

Tensor& Tensor::operator=(const Tensor& other) {
    if (this != &other) *this = Tensor(other);
    return *this;
}

Tensor& Tensor::operator=(Tensor&& other) noexcept {
    shape_ = std::move(other.shape_);
    owned_ = std::move(other.owned_);  // a vector's move keeps its buffer, so data_ stays valid
    data_ = std::exchange(other.data_, {});
    other.shape_.clear();
    return *this;
}

Tensor::Tensor(Shape shape, const std::vector<float>& data)
    : Tensor(std::move(shape), FloatBuffer(data.begin(), data.end())) {}

double Tensor::squared_norm() const {
    double sum = 0.0;
    for (float x : data_) sum += double(x) * double(x);
    return sum;
}

Tensor Tensor::permuted(std::span<const std::size_t> order) const {
    const std::size_t k = shape_.size();
    if (order.size() != k) throw std::invalid_argument("permutation has the wrong length");
    Shape new_shape(k);
    std::vector<bool> seen(k, false);
    for (std::size_t m = 0; m < k; ++m) {
        if (order[m] >= k || seen[order[m]]) throw std::invalid_argument("not a permutation of the modes");
        seen[order[m]] = true;
        new_shape[m] = shape_[order[m]];
    }
    // Strides of this tensor, looked up in the new mode order.
    std::vector<std::size_t> old_stride(k, 1);
    for (std::size_t m = k - 1; m > 0; --m) old_stride[m - 1] = old_stride[m] * shape_[m];
    std::vector<std::size_t> stride(k);
    for (std::size_t m = 0; m < k; ++m) stride[m] = old_stride[order[m]];

    Tensor out(new_shape);
    std::vector<std::size_t> index(k, 0);
    std::size_t source = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        out.data_[i] = data_[source];
        // Odometer increment of the new index, moving `source` along.
        for (std::size_t m = k; m-- > 0;) {
            if (++index[m] < new_shape[m]) {
                source += stride[m];
                break;
            }
            source -= stride[m] * (new_shape[m] - 1);
            index[m] = 0;
        }
    }
    return out;
}

double relative_error(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) throw std::invalid_argument("relative_error: shapes differ");
    double diff = 0.0, norm = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = double(a[i]) - double(b[i]);
        diff += d * d;
        norm += double(a[i]) * double(a[i]);
    }
    if (norm == 0.0) return diff == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
    return std::sqrt(diff / norm);
}

Tensor Tensor::reshaped(Shape shape) && {
    if (element_count(shape) != data_.size())
        throw std::invalid_argument("cannot reshape " + shape_to_string(shape_) + " to " + shape_to_string(shape));
    Tensor out(std::move(*this));
    out.shape_ = std::move(shape);
    return out;
}

std::size_t replace_non_finite(Tensor& tensor, float value) {
    std::size_t replaced = 0;
    for (float& x : tensor.data())
        if (!std::isfinite(x)) x = value, ++replaced;
    return replaced;
}

std::size_t count_non_finite(const Tensor& tensor) {
    return std::size_t(
        std::count_if(tensor.data().begin(), tensor.data().end(), [](float x) { return !std::isfinite(x); }));
}

}  // namespace signcut
