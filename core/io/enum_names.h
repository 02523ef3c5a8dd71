#pragma once
// The names by which command lines, files (.scdz job settings, reports) and the Python module
// spell signcut's enums: each list once, and to_string / parse_enum / enum_choices over it.
// The names core/scd already gives (precision_name, stop_reason_name, isa_name) are taken
// from there, not spelled again.

#include <array>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "animation/reconstruction_animation.h"
#include "io/load_input.h"
#include "model/model_compression.h"
#include "scd/decomposer.h"
#include "scd/decomposition.h"
#include "scd/kernels.h"

namespace signcut {

template <typename Enum>
using EnumName = std::pair<Enum, std::string_view>;

// A specialisation per enum: `names`, every enumerator with its name.
template <typename Enum>
struct EnumNames;

template <>
struct EnumNames<BudgetAllocation> {
    static constexpr std::array<EnumName<BudgetAllocation>, 2> names = {
        {{BudgetAllocation::uniform, "uniform"}, {BudgetAllocation::global, "global"}}};
};

template <>
struct EnumNames<ErrorWeighting> {
    static constexpr std::array<EnumName<ErrorWeighting>, 2> names = {
        {{ErrorWeighting::tensors, "tensors"}, {ErrorWeighting::entries, "entries"}}};
};

template <>
struct EnumNames<FlattenRule> {
    static constexpr std::array<EnumName<FlattenRule>, 3> names = {
        {{FlattenRule::first, "first"}, {FlattenRule::last, "last"}, {FlattenRule::tensor, "tensor"}}};
};

template <>
struct EnumNames<WidthSchedule> {
    static constexpr std::array<EnumName<WidthSchedule>, 2> names = {
        {{WidthSchedule::linear, "linear"}, {WidthSchedule::logarithmic, "log"}}};
};

template <>
struct EnumNames<InputKind> {
    static constexpr std::array<EnumName<InputKind>, 2> names = {
        {{InputKind::image, "image"}, {InputKind::array, "array"}}};
};

template <>
struct EnumNames<CoeffPrecision> {
    static inline const std::array<EnumName<CoeffPrecision>, 3> names = {
        {{CoeffPrecision::f32, precision_name(CoeffPrecision::f32)},
         {CoeffPrecision::f16, precision_name(CoeffPrecision::f16)},
         {CoeffPrecision::bf16, precision_name(CoeffPrecision::bf16)}}};
};

template <>
struct EnumNames<StopReason> {
    static inline const std::array<EnumName<StopReason>, 6> names = {{
        {StopReason::running, stop_reason_name(StopReason::running)},
        {StopReason::width, stop_reason_name(StopReason::width)},
        {StopReason::bits_per_entry, stop_reason_name(StopReason::bits_per_entry)},
        {StopReason::target_error, stop_reason_name(StopReason::target_error)},
        {StopReason::exhausted, stop_reason_name(StopReason::exhausted)},
        {StopReason::cancelled, stop_reason_name(StopReason::cancelled)},
    }};
};

template <>
struct EnumNames<Isa> {
    static inline const std::array<EnumName<Isa>, 3> names = {
        {{Isa::scalar, isa_name(Isa::scalar)}, {Isa::avx2, isa_name(Isa::avx2)}, {Isa::avx512, isa_name(Isa::avx512)}}};
};

template <typename Enum>
concept NamedEnum = std::is_enum_v<Enum> && requires {
    EnumNames<Enum>::names;
};

template <NamedEnum Enum>
std::string_view to_string(Enum value) {
    for (const auto& [e, name] : EnumNames<Enum>::names)
        if (e == value) return name;
    return "?";
}

template <NamedEnum Enum>
std::optional<Enum> parse_enum(std::string_view name) {
    for (const auto& [e, n] : EnumNames<Enum>::names)
        if (n == name) return e;
    return std::nullopt;
}

// The names for a message: "f32, f16 or bf16".
template <NamedEnum Enum>
std::string enum_choices() {
    const auto& names = EnumNames<Enum>::names;
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) list += i + 1 == names.size() ? " or " : ", ";
        list += names[i].second;
    }
    return list;
}

}  // namespace signcut
