// fmt.cpp: fmt's compiled half, built into the engine instead of linked from
// libfmt.so. That library needs libstdc++.so, and loading the two was half of
// every command's start-up (bench/startup.sh); the binary links libstdc++
// statically instead. Only what the engine's format calls use is instantiated.
// See: https://fmt.dev/9.1.0/usage.html (fmt's headers and its library).
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;
template locale_ref::locale_ref(std::locale const&);
template auto locale_ref::get() const -> std::locale;

}  // namespace detail
FMT_END_NAMESPACE
