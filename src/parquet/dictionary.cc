// Linear probing over a power-of-two table at most half full; a slot holds entry + 1, so a
// zeroed table is empty. Entries are compared by hash first, then by their bytes in plain_.
#include "parquet/dictionary.h"

#include <cstring>

namespace rapidbyte::parquet {
namespace {

constexpr std::size_t kFirstSlots = 1024;

uint64_t Load(const char* p, std::size_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

}  // namespace

uint32_t HashBytes(std::string_view bytes) {
  constexpr uint64_t kMul = 0xbf58476d1ce4e5b9ULL;
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (bytes.size() * 0xc2b2ae3d27d4eb4fULL);
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    h = (h ^ Load(p, 8)) * kMul;
    h ^= h >> 29;
  }
  if (n != 0) {
    h = (h ^ Load(p, n)) * kMul;
    h ^= h >> 29;
  }
  h *= 0x94d049bb133111ebULL;
  return static_cast<uint32_t>(h ^ (h >> 32));
}

std::string_view Dictionary::Entry(uint32_t e) const {
  const std::size_t start = starts_[e];
  const std::size_t end = e + 1 < starts_.size() ? starts_[e + 1] - (byte_array_ ? 4 : 0)
                                                   : plain_.size();
  return {plain_.data() + start, end - start};
}

uint32_t Dictionary::Insert(std::string_view value, bool* added) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  const uint32_t hash = HashBytes(value);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const uint32_t slot = slots_[s];
    if (slot == 0) {
      const auto e = static_cast<uint32_t>(size_++);
      slots_[s] = e + 1;
      hashes_.push_back(hash);
      if (byte_array_) {
        const auto n = static_cast<uint32_t>(value.size());
        plain_.append(reinterpret_cast<const char*>(&n), 4);  // little-endian (x86-64, wasm32)
      }
      starts_.push_back(static_cast<uint32_t>(plain_.size()));
      plain_.append(value);
      *added = true;
      return e;
    }
    if (hashes_[slot - 1] == hash && Entry(slot - 1) == value) {
      *added = false;
      return slot - 1;
    }
  }
}

void Dictionary::Grow() {
  const std::size_t n = slots_.empty() ? kFirstSlots : slots_.size() * 2;
  slots_.assign(n, 0);
  const std::size_t mask = n - 1;
  for (uint32_t e = 0; e < hashes_.size(); ++e) {
    std::size_t s = hashes_[e] & mask;
    while (slots_[s] != 0) s = (s + 1) & mask;
    slots_[s] = e + 1;
  }
}

std::size_t Dictionary::MemoryBytes() const {
  return plain_.capacity() +
         (starts_.capacity() + hashes_.capacity() + slots_.capacity()) * sizeof(uint32_t);
}

void Dictionary::ReleaseIndex() {
  decltype(starts_)().swap(starts_);
  decltype(hashes_)().swap(hashes_);
  decltype(slots_)().swap(slots_);
}

void Dictionary::Clear() {
  ReleaseIndex();
  plain_.clear();
  size_ = 0;
}

}  // namespace rapidbyte::parquet
