#include "kubesim/printers/quantity.h"

#include <cstdlib>
#include <limits>
#include <string>

namespace kubesim::printers {

namespace {

using int128 = __int128;

constexpr int128 kNanoPerUnit = 1000000000;
// maxAllowed in quantity.go: 2^63-1 units.
constexpr int128 kMaxNano = static_cast<int128>(std::numeric_limits<int64_t>::max()) * kNanoPerUnit;
constexpr int128 kInt128Max = static_cast<int128>((~static_cast<unsigned __int128>(0)) >> 1);

// Messages of ErrFormatWrong, ErrNumeric, ErrSuffix (quantity.go).
constexpr char kErrFormatWrong[] =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr char kErrNumeric[] = "unable to parse numeric part of quantity";
constexpr char kErrSuffix[] = "unable to parse quantity's suffix";

std::string Int128ToString(int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  unsigned __int128 u = neg ? static_cast<unsigned __int128>(0) - static_cast<unsigned __int128>(v)
                            : static_cast<unsigned __int128>(v);
  std::string out;
  while (u > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (neg) out.insert(out.begin(), '-');
  return out;
}

// Multiplies a non-negative value, saturating at kInt128Max.
int128 SatMul(int128 a, int128 b) {
  if (a == 0 || b == 0) return 0;
  if (a > kInt128Max / b) return kInt128Max;
  return a * b;
}

int128 Pow10(int n) {
  int128 r = 1;
  for (int i = 0; i < n; ++i) r = SatMul(r, 10);
  return r;
}

// Output of parseQuantityString (quantity.go).
struct Scanned {
  bool positive = true;
  std::string value, num, denom, suffix;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Port of parseQuantityString: a fast scanner for quantity values. Returns
// false for ErrFormatWrong.
bool ScanQuantity(std::string_view str, Scanned* out) {
  size_t pos = 0;
  size_t end = str.size();
  // handle leading sign
  if (pos < end) {
    if (str[0] == '-') {
      out->positive = false;
      ++pos;
    } else if (str[0] == '+') {
      ++pos;
    }
  }
  // strip leading zeros
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      out->num = "0";
      out->value = out->num;
      return true;
    }
    if (str[i] == '0') {
      ++pos;
    } else {
      break;
    }
  }
  // extract the numerator
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      out->num = std::string(str.substr(pos, end - pos));
      out->value = std::string(str.substr(0, end));
      return true;
    }
    if (!IsDigit(str[i])) {
      out->num = std::string(str.substr(pos, i - pos));
      pos = i;
      break;
    }
  }
  // if we stripped all numerator positions, always return 0
  if (out->num.empty()) out->num = "0";
  // handle a denominator
  if (pos < end && str[pos] == '.') {
    ++pos;
    bool done = false;
    for (size_t i = pos;; ++i) {
      if (i >= end) {
        out->denom = std::string(str.substr(pos, end - pos));
        out->value = std::string(str.substr(0, end));
        done = true;
        break;
      }
      if (!IsDigit(str[i])) {
        out->denom = std::string(str.substr(pos, i - pos));
        pos = i;
        break;
      }
    }
    if (done) return true;
  }
  out->value = std::string(str.substr(0, pos));
  // grab the elements of the suffix
  size_t suffix_start = pos;
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      out->suffix = std::string(str.substr(suffix_start, end - suffix_start));
      return true;
    }
    if (std::string_view("eEinumkKMGTP").find(str[i]) == std::string_view::npos) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] == '-' || str[pos] == '+')) ++pos;
  for (size_t i = pos;; ++i) {
    if (i >= end) {
      out->suffix = std::string(str.substr(suffix_start, end - suffix_start));
      return true;
    }
    if (!IsDigit(str[i])) break;
  }
  // we encountered a non decimal in the Suffix loop, but the last character
  // was not a valid exponent
  return false;
}

// suffix.go suffixHandler.interpret.
bool InterpretSuffix(const std::string& s, int* base, int* exponent, QuantityFormat* format) {
  static const struct {
    const char* s;
    int base, exp;
    QuantityFormat f;
  } kTable[] = {
      {"n", 10, -9, QuantityFormat::kDecimalSI}, {"u", 10, -6, QuantityFormat::kDecimalSI},
      {"m", 10, -3, QuantityFormat::kDecimalSI}, {"", 10, 0, QuantityFormat::kDecimalSI},
      {"k", 10, 3, QuantityFormat::kDecimalSI},  {"M", 10, 6, QuantityFormat::kDecimalSI},
      {"G", 10, 9, QuantityFormat::kDecimalSI},  {"T", 10, 12, QuantityFormat::kDecimalSI},
      {"P", 10, 15, QuantityFormat::kDecimalSI}, {"E", 10, 18, QuantityFormat::kDecimalSI},
      {"Ki", 2, 10, QuantityFormat::kBinarySI},  {"Mi", 2, 20, QuantityFormat::kBinarySI},
      {"Gi", 2, 30, QuantityFormat::kBinarySI},  {"Ti", 2, 40, QuantityFormat::kBinarySI},
      {"Pi", 2, 50, QuantityFormat::kBinarySI},  {"Ei", 2, 60, QuantityFormat::kBinarySI},
  };
  for (const auto& e : kTable) {
    if (s == e.s) {
      *base = e.base;
      *exponent = e.exp;
      *format = e.f;
      return true;
    }
  }
  if (s.size() > 1 && (s[0] == 'E' || s[0] == 'e')) {
    // strconv.ParseInt(suffix[1:], 10, 64)
    std::string_view rest(s);
    rest.remove_prefix(1);
    size_t i = 0;
    bool neg = false;
    if (rest[0] == '+' || rest[0] == '-') {
      neg = rest[0] == '-';
      i = 1;
    }
    if (i >= rest.size()) return false;
    int64_t v = 0;
    for (; i < rest.size(); ++i) {
      if (!IsDigit(rest[i])) return false;
      if (v > 100000) v = 100000;  // far outside any representable value
      v = v * 10 + (rest[i] - '0');
    }
    *base = 10;
    *exponent = static_cast<int>(neg ? -v : v);
    *format = QuantityFormat::kDecimalExponent;
    return true;
  }
  return false;
}

// Divides a non-negative value, rounding any remainder up (away from 0).
int128 DivRoundUp(int128 v, int128 d, bool sticky) {
  int128 q = v / d;
  if (v % d != 0 || sticky) ++q;
  return q;
}

int64_t ClampInt64(int128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

}  // namespace

StatusOr<Quantity> Quantity::Parse(std::string_view str) {
  if (str.empty()) return Status::BadRequest(kErrFormatWrong);
  Quantity q;
  if (str == "0") {
    q.text_ = "0";
    return q;
  }
  Scanned sc;
  if (!ScanQuantity(str, &sc)) return Status::BadRequest(kErrFormatWrong);
  int base, exponent;
  QuantityFormat format;
  if (!InterpretSuffix(sc.suffix, &base, &exponent, &format)) {
    return Status::BadRequest(kErrSuffix);
  }
  for (char c : sc.value) {
    if (!(IsDigit(c) || c == '.' || c == '+' || c == '-')) return Status::BadRequest(kErrNumeric);
  }
  q.format_ = format;

  // The fast path of ParseQuantity decides whether the input string is
  // already canonical and is then kept verbatim (quantity.go: "if the
  // number is in canonical form, reuse the string").
  {
    int precision = 0;
    int scale = 0;
    int64_t mantissa = 1;
    if (format == QuantityFormat::kBinarySI) {
      if (exponent >= 0 && sc.denom.empty()) {
        mantissa = int64_t{1} << exponent;
        precision = 15 - static_cast<int>(sc.num.size()) -
                    static_cast<int>(static_cast<float>(exponent) * 3 / 10) - 1;
      } else {
        precision = -1;
      }
    } else {
      scale = exponent;
      precision = 18 - static_cast<int>(sc.num.size() + sc.denom.size());
    }
    if (precision >= 0) {
      scale -= static_cast<int>(sc.denom.size());
      if (scale >= -9) {
        std::string shifted = sc.num + sc.denom;
        // precision >= 0 keeps shifted within 18 digits: ParseInt succeeds.
        int128 value = 0;
        for (char c : shifted) value = value * 10 + (c - '0');
        int128 result = value * mantissa;
        if (result <= std::numeric_limits<int64_t>::max()) {
          bool canonical;
          if (format == QuantityFormat::kBinarySI) {
            canonical = exponent % 10 == 0 && (static_cast<int64_t>(value) & 0x07) != 0;
          } else {
            bool ends000 =
                shifted.size() >= 3 && shifted.compare(shifted.size() - 3, 3, "000") == 0;
            canonical = scale % 3 == 0 && !ends000 && shifted[0] != '0';
          }
          if (canonical) q.text_ = std::string(str);
        }
      }
    }
  }

  // Exact value in nanounits: digits * 10^(9 - len(denom)) * base^exponent,
  // rounded up to the next nanounit (inf.RoundUp to Nano scale).
  std::string digits = sc.num + sc.denom;
  int dec_exp = 9 - static_cast<int>(sc.denom.size());
  if (base == 10) dec_exp += exponent;
  // Keep at most 36 significant digits; remember whether dropped ones were
  // non-zero so the result still rounds up.
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    digits = "0";
  } else {
    digits = digits.substr(first);
  }
  bool sticky = false;
  if (digits.size() > 36) {
    size_t drop = digits.size() - 36;
    sticky = digits.find_first_not_of('0', 36) != std::string::npos;
    digits.resize(36);
    dec_exp += static_cast<int>(drop);
  }
  int128 m = 0;
  for (char c : digits) m = m * 10 + (c - '0');
  if (base == 2) {
    for (int i = 0; i < exponent; ++i) m = SatMul(m, 2);
  }
  int128 nano;
  if (dec_exp >= 0) {
    nano = dec_exp > 40 && m != 0 ? kInt128Max : SatMul(m, Pow10(dec_exp));
    if (sticky && nano != kInt128Max) ++nano;  // cannot happen in practice
  } else if (dec_exp < -38) {
    nano = (m != 0 || sticky) ? 1 : 0;
  } else {
    nano = m == 0 && !sticky ? 0 : DivRoundUp(m, Pow10(-dec_exp), sticky);
  }
  if (nano > kMaxNano) nano = kMaxNano;
  if (format == QuantityFormat::kBinarySI && nano > 0 && nano < kNanoPerUnit) {
    // This avoids rounding and hopefully confusion, too.
    q.format_ = QuantityFormat::kDecimalSI;
  }
  q.nano_ = sc.positive ? nano : -nano;
  return q;
}

Quantity Quantity::FromValue(int64_t value, QuantityFormat format) {
  Quantity q;
  q.nano_ = static_cast<int128>(value) * kNanoPerUnit;
  q.format_ = format;
  return q;
}

Quantity Quantity::FromMilliValue(int64_t milli, QuantityFormat format) {
  Quantity q;
  q.nano_ = static_cast<int128>(milli) * 1000000;
  q.format_ = format;
  return q;
}

// Upstream ScaledValue: ceil(q / 10^scale), rounding away from zero
// (amount.go negativeScaleInt64).
int64_t Quantity::ScaledValue(int scale) const {
  int shift = 9 + scale;  // nano -> 10^scale units
  int128 mag = nano_ < 0 ? -nano_ : nano_;
  int128 r;
  if (shift >= 0) {
    r = shift > 38 ? (mag != 0 ? 1 : 0) : DivRoundUp(mag, Pow10(shift), false);
    if (mag == 0) r = 0;
  } else {
    r = SatMul(mag, Pow10(-shift));
  }
  return ClampInt64(nano_ < 0 ? -r : r);
}

double Quantity::AsApproximateFloat64() const {
  return static_cast<double>(nano_) / static_cast<double>(kNanoPerUnit);
}

// CanonicalizeBytes (quantity.go) with AsCanonicalBytes and
// AsCanonicalBase1024Bytes (amount.go) and suffix construction (suffix.go).
std::string Quantity::String() const {
  if (!text_.empty()) return text_;
  if (nano_ == 0) return "0";
  QuantityFormat format = format_;
  if (format == QuantityFormat::kBinarySI) {
    int128 limit = 1024 * kNanoPerUnit;
    if (nano_ > -limit && nano_ < limit) {
      // This avoids rounding and hopefully confusion, too.
      format = QuantityFormat::kDecimalSI;
    } else if (nano_ % kNanoPerUnit != 0) {
      // Don't lose precision-- show as DecimalSI
      format = QuantityFormat::kDecimalSI;
    }
  }
  if (format == QuantityFormat::kBinarySI) {
    int128 amount = nano_ / kNanoPerUnit;
    int128 mag = amount < 0 ? -amount : amount;
    int times = 0;
    while (mag >= 1024 && mag % 1024 == 0) {
      ++times;
      mag /= 1024;
    }
    static const char* kBin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    std::string suffix = times < 7 ? kBin[times] : "";
    return Int128ToString(amount < 0 ? -mag : mag) + suffix;
  }
  // Decimal: move all factors of 10 into the exponent, then make the
  // exponent a multiple of 3.
  int128 amount = nano_;
  int exponent = -9;
  while ((amount >= 10 || amount <= -10) && amount % 10 == 0) {
    amount /= 10;
    ++exponent;
  }
  while (exponent % 3 != 0) {
    amount *= 10;
    --exponent;
  }
  std::string suffix;
  if (format == QuantityFormat::kDecimalExponent) {
    if (exponent != 0) suffix = "e" + std::to_string(exponent);
  } else {
    switch (exponent) {
      case -9:
        suffix = "n";
        break;
      case -6:
        suffix = "u";
        break;
      case -3:
        suffix = "m";
        break;
      case 0:
        break;
      case 3:
        suffix = "k";
        break;
      case 6:
        suffix = "M";
        break;
      case 9:
        suffix = "G";
        break;
      case 12:
        suffix = "T";
        break;
      case 15:
        suffix = "P";
        break;
      case 18:
        suffix = "E";
        break;
      default:
        break;  // upstream's constructBytes fails and emits no suffix
    }
  }
  return Int128ToString(amount) + suffix;
}

int Quantity::Cmp(const Quantity& other) const {
  if (nano_ < other.nano_) return -1;
  if (nano_ > other.nano_) return 1;
  return 0;
}

void Quantity::Add(const Quantity& other) {
  text_.clear();
  if (nano_ == 0) format_ = other.format_;
  nano_ += other.nano_;
}

void Quantity::Sub(const Quantity& other) {
  text_.clear();
  if (nano_ == 0) format_ = other.format_;
  nano_ -= other.nano_;
}

void Quantity::Neg() {
  text_.clear();
  nano_ = -nano_;
}

}  // namespace kubesim::printers
