// Go standard-library formatting primitives that kubectl's output depends on.
//
// kubectl is a Go program: the exact text of its numbers and quoted strings
// comes from strconv, fmt and encoding/json. These helpers reproduce those
// few functions byte for byte so that the printers (yaml.h, json.h, table.h)
// and error messages built elsewhere match real kubectl output.
//
// Thread-safety: all functions are pure.
#ifndef KUBESIM_PRINTERS_GO_FORMAT_H_
#define KUBESIM_PRINTERS_GO_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kubesim::printers {

// strconv.FormatFloat(v, fmt, -1, bit_size): the shortest text that reads
// back as `v` (as a float32 when bit_size == 32). `fmt` is 'g', 'e' or 'f'.
// For the shortest 'g' form Go switches to exponent notation when the
// decimal exponent is < -4 or >= 6 (so "1e+06", "1.5e-05", "123456").
// Infinities and NaN give "+Inf", "-Inf", "NaN" as Go does. fmt.Sprint and
// %v of a float64 print exactly GoFormatFloat(v, 'g').
std::string GoFormatFloat(double v, char fmt = 'g', int bit_size = 64);

// The text encoding/json writes for a float64 (encode.go floatEncoder):
// 'f' form for 1e-6 <= |v| < 1e21, else 'e' form with "e-07" cleaned to
// "e-7". Integral values therefore print without a decimal point ("2").
// REQUIRES: v is finite (Go's encoder refuses NaN and Inf).
std::string GoJsonFloat(double v);

// strconv.Quote(s): a double-quoted Go string literal ("\"a\\tb\"").
// Printable non-ASCII runes are kept; invalid UTF-8 bytes become \xNN.
std::string GoQuote(std::string_view s);

// Replaces every invalid UTF-8 sequence in `s` with U+FFFD, byte by byte,
// as encoding/json does when it marshals a string.
std::string GoSanitizeUtf8(std::string_view s);

// Decodes one UTF-8 rune at s[i]; sets *width to its byte length (1 for an
// invalid byte, in which case the rune returned is U+FFFD).
char32_t DecodeRune(std::string_view s, size_t i, size_t* width);

// Appends the UTF-8 encoding of rune `r` to `out`.
void AppendRune(char32_t r, std::string* out);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_GO_FORMAT_H_
