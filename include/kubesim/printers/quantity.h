// resource.Quantity: the fixed-point numbers of resource requests, limits,
// capacity and allocatable ("100m", "128Mi", "2", "1G", "1e3").
//
// Port of k8s.io/apimachinery/pkg/api/resource (quantity.go, amount.go,
// suffix.go): parsing, the canonical String() form kubectl and the API
// server print, Value()/MilliValue() rounding and the arithmetic the
// scheduler and describe need.
//
// Limits (documented deviations from upstream):
//   - Values are held exactly with nanounit resolution (as upstream, which
//     rounds finer values up to 1n), in a 128-bit integer. Magnitudes above
//     2^63-1 units are clamped to 2^63-1 for every format; upstream clamps
//     only BinarySI and keeps larger DecimalSI values exactly. Such values
//     never occur in practice.
//   - Value()/MilliValue()/ScaledValue() saturate at the int64 limits where
//     upstream wraps.
//
// Thread-safety: a Quantity is a value; distinct objects may be used from
// distinct threads freely, a shared one only read.
#ifndef KUBESIM_PRINTERS_QUANTITY_H_
#define KUBESIM_PRINTERS_QUANTITY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "kubesim/util/status.h"

namespace kubesim::printers {

// How a quantity is written back out (resource.Format).
enum class QuantityFormat {
  kDecimalExponent,  // 12e6
  kBinarySI,         // 12Mi (12 * 2^20)
  kDecimalSI,        // 12M (12 * 10^6)
};

class Quantity {
 public:
  // Zero, DecimalSI.
  Quantity() = default;

  // resource.ParseQuantity. Accepts "<signed number><suffix>" where suffix
  // is one of m, "", k, M, G, T, P, E, n, u (decimal SI), Ki..Ei (binary SI)
  // or e<int>/E<int> (decimal exponent). Errors (Status BadRequest) carry
  // upstream's messages: "quantities must match the regular expression
  // '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", "unable to parse
  // quantity's suffix", "unable to parse numeric part of quantity".
  static StatusOr<Quantity> Parse(std::string_view text);

  // resource.NewQuantity(value, format).
  static Quantity FromValue(int64_t value, QuantityFormat format);
  // resource.NewMilliQuantity(milli, format): value milli/1000.
  static Quantity FromMilliValue(int64_t milli, QuantityFormat format);

  // Value rounded up (away from zero) to an integer: "100m" -> 1.
  int64_t Value() const { return ScaledValue(0); }
  // ceil(q * 1000) (away from zero): "100m" -> 100, "1Gi" -> 1073741824000.
  int64_t MilliValue() const { return ScaledValue(-3); }
  // ceil(q / 10^scale) (away from zero), e.g. ScaledValue(-3) == MilliValue().
  int64_t ScaledValue(int scale) const;
  // A float approximation of the value.
  double AsApproximateFloat64() const;

  // The canonical form upstream's String()/MarshalJSON produce: "1500m",
  // "2", "1536Mi", "1G", "1e3". A parsed string that was already canonical
  // is returned verbatim, as upstream does (so "+1" stays "+1").
  std::string String() const;

  QuantityFormat format() const { return format_; }
  void set_format(QuantityFormat format) {
    format_ = format;
    text_.clear();
  }
  bool IsZero() const { return nano_ == 0; }
  // -1, 0 or 1.
  int Sign() const { return nano_ < 0 ? -1 : (nano_ > 0 ? 1 : 0); }
  // -1, 0 or 1 as *this is less than, equal to, or greater than `other`.
  int Cmp(const Quantity& other) const;

  // In-place arithmetic. As upstream, when *this is zero it takes the
  // format of `other`.
  void Add(const Quantity& other);
  void Sub(const Quantity& other);
  void Neg();

  // Value equality (upstream Quantity.Equal): "1" == "1000m".
  bool operator==(const Quantity& other) const { return nano_ == other.nano_; }

 private:
  __int128 nano_ = 0;  // the value in units of 10^-9
  QuantityFormat format_ = QuantityFormat::kDecimalSI;
  std::string text_;  // upstream's cached q.s: original text if canonical
};

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_QUANTITY_H_
