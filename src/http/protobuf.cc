// DecodeProtobufBody (protobuf.h): a minimal protobuf wire-format reader
// (https://protobuf.dev/programming-guides/encoding/) and the few
// Kubernetes messages kubectl writes as protobuf.
#include "protobuf.h"

#include <cstdint>
#include <functional>

namespace kubesim::http {
namespace {

using api::Object;

// One message's fields, read in order.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  // Calls `field(number, wire_type)` for each field; the callback reads the
  // value with the matching accessor (Varint/Bytes) or skips it with Skip.
  bool ForEach(const std::function<bool(int, int)>& field) {
    while (pos_ < data_.size()) {
      uint64_t key = 0;
      if (!ReadVarint(&key)) return false;
      int number = static_cast<int>(key >> 3);
      int wire = static_cast<int>(key & 7);
      if (!field(number, wire)) return false;
    }
    return true;
  }
  bool ReadVarint(uint64_t* out) {
    *out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      *out |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }
  bool ReadBytes(std::string_view* out) {
    uint64_t len = 0;
    if (!ReadVarint(&len) || len > data_.size() - pos_) return false;
    *out = data_.substr(pos_, len);
    pos_ += len;
    return true;
  }
  bool Skip(int wire) {
    uint64_t v = 0;
    std::string_view s;
    switch (wire) {
      case 0:
        return ReadVarint(&v);
      case 1:
        if (data_.size() - pos_ < 8) return false;
        pos_ += 8;
        return true;
      case 2:
        return ReadBytes(&s);
      case 5:
        if (data_.size() - pos_ < 4) return false;
        pos_ += 4;
        return true;
      default:
        return false;
    }
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

bool ReadString(Reader& r, int wire, std::string* out) {
  std::string_view s;
  if (wire != 2 || !r.ReadBytes(&s)) return false;
  *out = std::string(s);
  return true;
}

// A map<string,string> entry: key = 1, value = 2.
bool ReadMapEntry(Reader& r, int wire, Object& map) {
  std::string_view entry;
  if (wire != 2 || !r.ReadBytes(&entry)) return false;
  Reader e(entry);
  std::string key, value;
  bool ok = e.ForEach([&](int n, int w) {
    if (n == 1) return ReadString(e, w, &key);
    if (n == 2) return ReadString(e, w, &value);
    return e.Skip(w);
  });
  if (ok) map[key] = value;
  return ok;
}

// metav1.ObjectMeta: name 1, generateName 2, namespace 3, uid 5,
// resourceVersion 6, labels 11, annotations 12, finalizers 14.
bool DecodeObjectMeta(std::string_view data, Object& meta) {
  Reader r(data);
  return r.ForEach([&](int n, int w) {
    std::string s;
    switch (n) {
      case 1:
      case 2:
      case 3:
      case 5:
      case 6: {
        static const char* kNames[] = {"", "name", "generateName",   "namespace",
                                       "", "uid",  "resourceVersion"};
        if (!ReadString(r, w, &s)) return false;
        if (!s.empty()) meta[kNames[n]] = s;
        return true;
      }
      case 11:
        return ReadMapEntry(r, w, meta["labels"]);
      case 12:
        return ReadMapEntry(r, w, meta["annotations"]);
      case 14:
        if (!ReadString(r, w, &s)) return false;
        meta["finalizers"].push_back(s);
        return true;
      default:
        return r.Skip(w);
    }
  });
}

// metav1.DeleteOptions: gracePeriodSeconds 1, preconditions 2 {uid 1,
// resourceVersion 2}, orphanDependents 3, propagationPolicy 4, dryRun 5.
bool DecodeDeleteOptions(std::string_view data, Object& opts) {
  Reader r(data);
  return r.ForEach([&](int n, int w) {
    uint64_t v = 0;
    std::string s;
    std::string_view sub;
    switch (n) {
      case 1:
        if (w != 0 || !r.ReadVarint(&v)) return false;
        opts["gracePeriodSeconds"] = static_cast<int64_t>(v);
        return true;
      case 2: {
        if (w != 2 || !r.ReadBytes(&sub)) return false;
        Reader p(sub);
        Object pre = Object::object();
        bool ok = p.ForEach([&](int pn, int pw) {
          if (pn == 1 || pn == 2) {
            if (!ReadString(p, pw, &s)) return false;
            pre[pn == 1 ? "uid" : "resourceVersion"] = s;
            return true;
          }
          return p.Skip(pw);
        });
        opts["preconditions"] = pre;
        return ok;
      }
      case 3:
        if (w != 0 || !r.ReadVarint(&v)) return false;
        opts["orphanDependents"] = v != 0;
        return true;
      case 4:
        if (!ReadString(r, w, &s)) return false;
        opts["propagationPolicy"] = s;
        return true;
      case 5:
        if (!ReadString(r, w, &s)) return false;
        opts["dryRun"].push_back(s);
        return true;
      default:
        return r.Skip(w);
    }
  });
}

// Namespace: metadata 1, spec 2 {finalizers 1}, status 3 (ignored on writes
// but kept: phase 1).
bool DecodeNamespace(std::string_view data, Object& obj) {
  Reader r(data);
  return r.ForEach([&](int n, int w) {
    std::string_view sub;
    if (n < 1 || n > 3) return r.Skip(w);
    if (w != 2 || !r.ReadBytes(&sub)) return false;
    if (n == 1) {
      Object& meta = obj["metadata"] = Object::object();
      return DecodeObjectMeta(sub, meta);
    }
    Reader m(sub);
    Object& part = obj[n == 2 ? "spec" : "status"] = Object::object();
    return m.ForEach([&](int mn, int mw) {
      std::string s;
      if (mn != 1) return m.Skip(mw);
      if (!ReadString(m, mw, &s)) return false;
      if (n == 2) {
        part["finalizers"].push_back(s);
      } else {
        part["phase"] = s;
      }
      return true;
    });
  });
}

// policy/v1 Eviction: metadata 1, deleteOptions 2.
bool DecodeEviction(std::string_view data, Object& obj) {
  Reader r(data);
  return r.ForEach([&](int n, int w) {
    std::string_view sub;
    if (n != 1 && n != 2) return r.Skip(w);
    if (w != 2 || !r.ReadBytes(&sub)) return false;
    if (n == 1) return DecodeObjectMeta(sub, obj["metadata"] = Object::object());
    return DecodeDeleteOptions(sub, obj["deleteOptions"] = Object::object());
  });
}

}  // namespace

StatusOr<Object> DecodeProtobufBody(const std::string& body) {
  static const std::string kMagic("k8s\0", 4);
  if (body.compare(0, kMagic.size(), kMagic) != 0) {
    return Status(StatusCode::kBadRequest, "protobuf body without the \"k8s\\0\" prefix");
  }
  // runtime.Unknown: typeMeta 1 {apiVersion 1, kind 2}, raw 2.
  Reader unknown(std::string_view(body).substr(kMagic.size()));
  std::string api_version, kind;
  std::string_view raw;
  bool ok = unknown.ForEach([&](int n, int w) {
    std::string_view sub;
    if (n == 1) {
      if (w != 2 || !unknown.ReadBytes(&sub)) return false;
      Reader tm(sub);
      return tm.ForEach([&](int tn, int tw) {
        if (tn == 1) return ReadString(tm, tw, &api_version);
        if (tn == 2) return ReadString(tm, tw, &kind);
        return tm.Skip(tw);
      });
    }
    if (n == 2) return w == 2 && unknown.ReadBytes(&raw);
    return unknown.Skip(w);
  });
  if (!ok) return Status(StatusCode::kBadRequest, "malformed protobuf body");
  Object obj = Object::object();
  if (!api_version.empty()) obj["apiVersion"] = api_version;
  if (!kind.empty()) obj["kind"] = kind;
  bool decoded = false;
  if (kind == "Namespace" && api_version == "v1") {
    decoded = DecodeNamespace(raw, obj);
  } else if (kind == "Eviction" && api_version == "policy/v1") {
    decoded = DecodeEviction(raw, obj);
  } else if (kind == "DeleteOptions") {
    decoded = DecodeDeleteOptions(raw, obj);
  } else {
    return Status(StatusCode::kUnsupportedMediaType,
                  "kubesim cannot decode protobuf " + api_version + " " + kind +
                      " bodies (only Namespace, Eviction and DeleteOptions); send JSON");
  }
  if (!decoded) return Status(StatusCode::kBadRequest, "malformed protobuf " + kind + " body");
  return obj;
}

}  // namespace kubesim::http
