#pragma once
// One interface for every low-bit approximation signcut compares: approximate A at a budget
// of B bits per entry, return the reconstruction and the exact number of bits the stored
// form needs (headers, scales, widths and seeds included). The registry below is the one list
// of methods: the CLI, the GUI (legend, colours, tooltips) and the tests read it.
//
// Stored forms: every method that a checkpoint can hold writes, beside the reconstruction of a
// matrix, its payload: exactly the bits it counts, packed LSB first and zero-padded to a byte
// (⌈bits / 8⌉ bytes), and its `load` gives the reconstruction back bit for bit from those
// bytes and the matrix's shape. The container (.scdz) keeps payloads as opaque bytes beside
// the method's name; core/model/ joins the two.

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scd/decomposer.h"
#include "scd/decomposition.h"
#include "scd/outliers.h"
#include "tensor/matrix_views.h"  // as_matrices: the matrices a method sees
#include "tensor/tensor.h"

namespace signcut {

struct DbfFactors;  // methods/dbf_product.h

struct Approximation {
    Tensor reconstruction;
    std::uint64_t bits = 0;  // of the stored form, everything included
    std::string note;        // e.g. the widths chosen, or why a budget could not be met
    bool met_budget = true;  // false: no stored form fits the budget (reconstruction empty)
    // dbf of a matrix: its stored form, for y = Ŵ·x from the bits (dbf_product); null otherwise.
    std::shared_ptr<const DbfFactors> dbf_factors{};  // (an initialiser: aggregate initialisations may leave it out)
    // The stored form (methods with a load, on one matrix, or any tensor for scd): ⌈bits / 8⌉
    // bytes; empty otherwise.
    std::vector<char> payload{};
    std::size_t entries_apart{};  // how many entries the payload keeps apart (methods/entries_apart.h)
    std::size_t width{};          // scd: the cuts
};

// A budget no stored form of the method fits, with the reason.
inline Approximation unmet(std::string why) {
    Approximation none;
    none.met_budget = false;
    none.note = std::move(why);
    return none;
}

struct MethodOptions {
    double bits_per_entry = 2.0;
    std::uint64_t seed = 1;                          // every randomised method draws from this seed only
    std::size_t group_size = 0;                      // rtn: entries per group (0: one group per row)
    int dbf_iterations = 0;                          // dbf: outer iterations (0: the authors' count)
    int trellis_state_bits = 12;                     // tcq: L
    OutlierPolicy outliers{.automatic = true};       // scd, scd-refit: entries kept apart (scd/outliers.h)
    CoeffPrecision precision = CoeffPrecision::f32;  // scd: of the coefficients
    int threads = 0;                                 // scd: 0 for all cores
    const std::atomic<bool>* cancel = nullptr;       // scd: stops the cuts (the result is then partial)
};

// The decomposer's options for signed cuts with these options (stopping at their budget).
DecomposeOptions decompose_options(const MethodOptions& options);

struct MethodInfo {
    std::string_view name;
    std::string_view description;  // one line, for legends, tooltips and --help
    std::string_view colour;       // "#rrggbb", the same in every chart
    // The smallest budget (bits per entry) any stored form of the method meets on this shape.
    // (From each method's own count of its stored form; tcq's depends on its L, rtn's on groups.)
    double (*minimum_bits_per_entry)(const Shape& shape, const MethodOptions& options);
    Approximation (*approximate)(const Tensor& a, const MethodOptions& options);
    // A codec for pictures (methods/image_codecs.h): refuses other data, and its bits follow
    // its quality steps, so it may fill less of a budget than the matrix methods.
    bool images_only = false;
    // Runs with a few entries kept apart (methods/entries_apart.h) unless options.outliers is 0:
    // rtn and kashin, where it was measured to pay on trained weights (docs/outliers.md); dbf,
    // rotq and tcq never gained. scd keeps entries apart by itself.
    bool keeps_entries_apart = false;
    // The stored form's decoder (null: the method has none): the reconstruction of a tensor of
    // `shape` (a matrix but for scd) from its payload, bit for bit the approximation's. Throws
    // std::invalid_argument naming what is wrong, having checked every size before allocating.
    Tensor (*load)(std::span<const char> payload, const Shape& shape) = nullptr;
};

// Every method, in the order the CLI and the GUI list them.
const std::vector<MethodInfo>& method_registry();
// Throws std::invalid_argument for an unknown name.
const MethodInfo& find_method(std::string_view name);
std::vector<std::string> method_names();
// The methods with a stored form, in the registry's order.
std::vector<std::string> storable_method_names();
// "scd, rtn, …": the names, for messages.
std::string joined_names(const std::vector<std::string>& names);

// The reconstruction from a payload that approximate(method, …) wrote for a tensor of `shape`,
// `entries_apart` as its Approximation said. Throws std::invalid_argument.
Tensor load_stored_form(std::string_view method, std::span<const char> payload, const Shape& shape,
                        std::size_t entries_apart = 0);

Approximation approximate(std::string_view method, const Tensor& a, const MethodOptions& options);
Approximation approximate(std::string_view method, const Tensor& a, double bits_per_entry, std::uint64_t seed = 1);

// How many bits per entry a method spends beyond what the i.i.d. Gaussian rate–distortion
// floor needs for the same error: R + log₂(error), since that floor is error = 2^(−R).
double bits_above_iid_floor(double bits_per_entry, double relative_error);

// Budgets for a method's rate–distortion curve from `lowest` to `highest` bits per entry:
// `per_octave` points per doubling on a log scale, both ends included.
std::vector<double> curve_budgets(double lowest, double highest, int per_octave = 4);

}  // namespace signcut
