#pragma once
// The names by which command lines, files (.scdz job settings, reports) and the Python module
// spell signcut's enums. Each enum lists its names once, beside its declaration, as a
// specialisation of EnumNames:
//
//     enum class Colour { red, green };
//     template <> struct EnumNames<Colour> {
//         static constexpr std::array<EnumName<Colour>, 2> names{{{Colour::red, "red"}, {Colour::green, "green"}}};
//     };
//
// and to_string / parse_enum / enum_choices work over that list.

#include <array>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace signcut {

// A name is a C string literal, so to_string can feed printf's %s as well as std::string.
template <typename Enum>
using EnumName = std::pair<Enum, const char*>;

// A specialisation per enum, beside it: `names`, every enumerator with its name.
template <typename Enum>
struct EnumNames;

template <typename Enum>
concept NamedEnum = std::is_enum_v<Enum> && requires { EnumNames<Enum>::names; };

template <NamedEnum Enum>
constexpr const char* to_string(Enum value) {
    for (const auto& [e, name] : EnumNames<Enum>::names)
        if (e == value) return name;
    return "?";
}

template <NamedEnum Enum>
constexpr std::optional<Enum> parse_enum(std::string_view name) {
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
